import type { FormatParser } from '../connector';

/**
 * The `contract-scan` format: a scanned or photographed contract (PNG, JPEG, TIFF) or a PDF, read
 * by OCR (contract-scan.parser.ts). Kept apart from the parser so what only names or sniffs the
 * format (the email parser handing off attachments, a hub with OCR off) does not load the engine.
 */

export const CONTRACT_SCAN_FORMAT = 'contract-scan';

/** Magic numbers: PNG (RFC 2083), JPEG SOI, TIFF little- and big-endian (TIFF 6.0 §2), PDF header (ISO 32000 §7.5.2). */
const SIGNATURES: readonly Buffer[] = [
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0xff, 0xd8, 0xff]),
  Buffer.from([0x49, 0x49, 0x2a, 0x00]),
  Buffer.from([0x4d, 0x4d, 0x00, 0x2a]),
  Buffer.from('%PDF-', 'latin1'),
];

/** Whether the bytes start like an image or PDF the engine reads; the name is not trusted. */
export function looksLikeScan(body: Buffer): boolean {
  return SIGNATURES.some((signature) => body.subarray(0, signature.length).equals(signature));
}

/**
 * Stands in for the contract-scan parser when OCR is off (`ocr.enabled: false`, or no language
 * data): scans are still recognised, kept and quarantined as `ocr.disabled`, so they can be
 * replayed once OCR is on rather than lost as an unknown format.
 */
export function createDisabledContractScanParser(): FormatParser {
  return {
    format: CONTRACT_SCAN_FORMAT,
    sniff: (body) => looksLikeScan(body),
    async parse(_body, context) {
      const message = 'OCR is off in this hub (ocr.enabled: false, or its language data is not installed); replay the raw message once it is on';
      return { ok: false, code: 'ocr.disabled', issues: [{ path: context.fileName ?? '', message, code: 'ocr.disabled' }], orders: [] };
    },
  };
}
