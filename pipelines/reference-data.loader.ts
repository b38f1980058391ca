import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { HubStore } from '../core/store/store.port';
import type { HubConfig } from '../config/hub.schema';
import { parseCalendar, parseCapacity, parseInventory, parsePrices } from '../config/reference-data';

/**
 * Loads the reference data files named in config into the store at start. Files replace the rows
 * they name and leave the rest (and every reservation) as they were, so a restart is harmless.
 */
export async function loadReferenceData(files: HubConfig['referenceData'], store: HubStore, log: Logger): Promise<void> {
  const read = (path: string) => readFileSync(resolve(path), 'utf8');
  if (files.inventory) {
    const levels = parseInventory(read(files.inventory), files.inventory);
    await store.inventory.setStock(levels);
    log.info({ file: files.inventory, rows: levels.length }, 'inventory loaded');
  }
  if (files.prices) {
    const prices = parsePrices(read(files.prices), files.prices);
    await store.prices.setPrices(prices);
    log.info({ file: files.prices, rows: prices.length }, 'price list loaded');
  }
  if (files.capacity) {
    const days = parseCapacity(read(files.capacity), files.capacity);
    await store.capacity.setCapacity(days);
    log.info({ file: files.capacity, rows: days.length }, 'capacity loaded');
  }
  if (files.calendar) {
    const days = parseCalendar(read(files.calendar), files.calendar);
    await store.calendar.setDays(days);
    log.info({ file: files.calendar, rows: days.length }, 'calendar loaded');
  }
}
