import { OcrInputError } from './ocr-errors';

/** Formats the engine reads, told apart by their first bytes, never by name or declared type. */
export type OcrInputFormat = 'png' | 'jpeg' | 'tiff' | 'pdf';

/** PDF readers accept the header anywhere in the first 1024 bytes (ISO 32000-1, Annex H.3 note 3). */
const PDF_HEADER_WINDOW = 1024;

export function sniffFormat(body: Buffer): OcrInputFormat | undefined {
  if (body.length >= 8 && body.readUInt32BE(0) === 0x89504e47 && body.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (body.length >= 3 && body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff) return 'jpeg';
  if (body.length >= 4 && ((body[0] === 0x49 && body[1] === 0x49 && body[2] === 0x2a && body[3] === 0x00) || (body[0] === 0x4d && body[1] === 0x4d && body[2] === 0x00 && body[3] === 0x2a))) {
    return 'tiff';
  }
  if (body.subarray(0, PDF_HEADER_WINDOW).includes('%PDF-')) return 'pdf';
  return undefined;
}

/** The format, or OcrInputError('ocr.unsupported_format') naming what the sender said it was. */
export function requireFormat(body: Buffer, declared: { readonly fileName?: string; readonly contentType?: string }): OcrInputFormat {
  const format = sniffFormat(body);
  if (format) return format;
  const said = [declared.fileName, declared.contentType].filter(Boolean).join(', ');
  throw new OcrInputError(
    'ocr.unsupported_format',
    `${said ? `${said}: ` : ''}not a PNG, JPEG, TIFF or PDF file (first bytes ${body.subarray(0, 8).toString('hex') || 'none'})`,
  );
}
