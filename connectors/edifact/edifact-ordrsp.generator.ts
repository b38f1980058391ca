import type { OutboundDocument } from '../connector';
import { cnt, customerGroup, cux, dtm, lineGroup, nad, rff, summary, totalsOf, type OutboundOrder } from './edifact-document.segments';
import { messageIdentifier, partyComponents, writeInterchange, type EdifactOutboundOptions, type OutSegment } from './edifact.writer';

export interface OrdrspOptions extends EdifactOutboundOptions {
  /**
   * The answer to the order as a whole: BGM03 29 (accepted without amendment) or 27 (not accepted),
   * and each line's LIN02 5 (accepted) or 7 (not accepted).
   * @defaultValue 'rejected' for a rejected or cancelled order, else 'accepted'
   */
  readonly response?: 'accepted' | 'rejected';
  /**
   * BGM02, the response's own number.
   * @defaultValue the interchange control reference, unique because control numbers never repeat
   */
  readonly documentNumber?: string;
}

const RESPONSE = { accepted: { bgm: '29', lin: '5' }, rejected: { bgm: '27', lin: '7' } } as const;

/**
 * ORDRSP (purchase order response) for an order the hub has decided on: refers to the buyer's
 * order by RFF+ON and repeats its lines with the action taken, prices and totals as confirmed.
 */
export async function generateOrdrsp(order: OutboundOrder, options: OrdrspOptions): Promise<OutboundDocument> {
  const response = RESPONSE[options.response ?? (order.status === 'rejected' || order.status === 'cancelled' ? 'rejected' : 'accepted')];
  const totals = totalsOf(order);
  const body = (documentNumber: string): OutSegment[] => [
    ['BGM', '231', [documentNumber], response.bgm],
    dtm('137', options.now),
    ...rff('ON', order.poNumber),
    ...customerGroup('BY', order.customer),
    nad('SU', { id: partyComponents(options.sender)[0] }),
    cux(order.currency),
    ...order.lines.flatMap((line) => lineGroup(line, { quantityQualifier: '21', action: response.lin, prices: true })),
    ...summary([
      ['79', totals.net],
      ['124', totals.tax],
      ['86', totals.gross],
    ]),
    cnt(order.lines.length),
  ];
  const identifier = messageIdentifier('ORDRSP', options.version);
  return writeInterchange('edifact-ordrsp', 'ORDRSP', (unb) => [{ identifier, body: body(options.documentNumber ?? unb) }], options);
}
