import { ConfigError } from '../../../config/config.error';
import { parseCalendar, parseCapacity, parseInventory, parsePrices } from '../../../config/reference-data';

function configError(parse: () => unknown): ConfigError {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseInventory', () => {
  it('reads CSV rows, defaulting the location to main', () => {
    const csv = 'sku,location,onHand\nPUMP-200,shanghai,12\nVALVE-DN50,,250\n';
    expect(parseInventory(csv, 'inventory.csv')).toEqual([
      { sku: 'PUMP-200', location: 'shanghai', onHand: '12' },
      { sku: 'VALVE-DN50', location: 'main', onHand: '250' },
    ]);
  });

  it('keeps decimal quantities exactly as written, in CSV and in YAML', () => {
    const csv = 'sku,onHand\nCABLE,0.1\nBULK,12345678901234.5678\n';
    const yaml = '- sku: CABLE\n  onHand: 0.1\n- sku: BULK\n  onHand: 12345678901234.5678\n';
    const expected = [
      { sku: 'CABLE', location: 'main', onHand: '0.1' },
      { sku: 'BULK', location: 'main', onHand: '12345678901234.5678' },
    ];
    expect(parseInventory(csv, 'inventory.csv')).toEqual(expected);
    expect(parseInventory(yaml, 'inventory.yaml')).toEqual(expected);
  });

  it('names the line and column of a bad value, counting the header as line 1', () => {
    const error = configError(() => parseInventory('sku,onHand\nPUMP-200,12\nVALVE-DN50,1e3\n', 'inventory.csv'));
    expect(error.message).toBe('inventory.csv:3 onHand: a decimal number as a string, e.g. "12.50"');
  });

  it('names the YAML line of a bad value', () => {
    const error = configError(() => parseInventory('- sku: PUMP-200\n  onHand: 4\n- sku: VALVE-DN50\n  onHand: -2\n', 'stock.yml'));
    expect(error.message).toBe('stock.yml:4 onHand: must not be negative');
  });

  it('reports a missing value at its row and an unknown column once, at the header', () => {
    const error = configError(() => parseInventory('sku,onHand,bin\nPUMP-200,,A1\nVALVE-DN50,3,A2\n', 'inventory.csv'));
    expect(error.message).toBe(['inventory.csv:1 bin: unknown column; expected sku, location, onHand', 'inventory.csv:2 onHand: required'].join('\n'));
  });

  it('refuses two rows for the same sku and location', () => {
    const error = configError(() => parseInventory('sku,location,onHand\nPUMP-200,main,1\nPUMP-200,,2\n', 'inventory.csv'));
    expect(error.message).toBe('inventory.csv:3: same sku and location as line 2');
  });

  it('refuses a file type it cannot read', () => {
    expect(() => parseInventory('x', 'inventory.xlsx')).toThrow('inventory.xlsx: unsupported file type ".xlsx"');
  });
});

describe('parsePrices', () => {
  it('reads list prices and customer prices keyed like customerKey()', () => {
    const csv = ['sku,currency,unitPrice,customerId,customerName', 'PUMP-200,CNY,12800.00,,', 'PUMP-200,CNY,12160.00,,  华东水务 ', 'PUMP-200,CNY,12000.00,C-1,'].join('\n');
    expect(parsePrices(csv, 'prices.csv')).toEqual([
      { sku: 'PUMP-200', currency: 'CNY', unitPrice: '12800.00' },
      { sku: 'PUMP-200', currency: 'CNY', unitPrice: '12160.00', customerKey: 'name:华东水务' },
      { sku: 'PUMP-200', currency: 'CNY', unitPrice: '12000.00', customerKey: 'id:C-1' },
    ]);
  });

  it('refuses a currency that is not an ISO code', () => {
    expect(configError(() => parsePrices('sku,currency,unitPrice\nPUMP-200,rmb,1\n', 'prices.csv')).message).toBe(
      'prices.csv:2 currency: an ISO 4217 code such as CNY or USD',
    );
  });
});

describe('parseCapacity', () => {
  it('reads dates and decimal units', () => {
    expect(parseCapacity('date,units\n2026-12-14,40\n2026-12-15,0.5\n', 'capacity.csv')).toEqual([
      { date: '2026-12-14', units: '40' },
      { date: '2026-12-15', units: '0.5' },
    ]);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(configError(() => parseCapacity('date,units\n14/12/2026,40\n', 'capacity.csv')).message).toMatch(/^capacity\.csv:2 date: /);
  });
});

describe('parseCalendar', () => {
  it('reads working flags in every accepted spelling, skipping comment lines', () => {
    const csv = 'date,working,note\n# official notice\n2026-10-01,no,国庆节\n2026-10-10,Yes,调休上班\n2026-10-12,1,\n2026-10-13,FALSE,\n';
    expect(parseCalendar(csv, 'calendar.csv')).toEqual([
      { date: '2026-10-01', working: false, note: '国庆节' },
      { date: '2026-10-10', working: true, note: '调休上班' },
      { date: '2026-10-12', working: true },
      { date: '2026-10-13', working: false },
    ]);
  });

  it('reads a YAML list, where true and false stay words until the schema reads them', () => {
    expect(parseCalendar('- date: 2027-01-01\n  working: false\n  note: 元旦\n', 'calendar.yaml')).toEqual([{ date: '2027-01-01', working: false, note: '元旦' }]);
  });

  it('names the line of an unreadable working flag, after a comment line', () => {
    expect(configError(() => parseCalendar('date,working\n# note\n2026-10-01,maybe\n', 'calendar.csv')).message).toBe(
      'calendar.csv:3 working: expected true/false, yes/no or 1/0',
    );
  });
});
