import type { SequenceStore } from '../../core/store/store.port';

/** What a format needs from the hub to write a document: numbers, time and the two parties. No other I/O. */
export interface DocumentContext {
  /** The store's sequences; each format builds its own scopes per partner (`x12:isa:<our id>:<partner id>`). */
  readonly sequences: Pick<SequenceStore, 'next'>;
  /** Stamped on the envelope. */
  readonly now: Date;
  /** Our interchange id, as the format writes it (X12 `QUALIFIER:ID`, e.g. 'ZZ:ORDERHUB'). */
  readonly ourId: string;
}
