import { HubError, type ErrorDetail } from '../../core/errors/hub-error';

/** Why the engine refuses an input; stable, for quarantine reasons and API answers. */
export type OcrInputErrorCode =
  | 'ocr.unsupported_format'
  | 'ocr.corrupt'
  | 'ocr.too_large'
  | 'ocr.too_many_pixels'
  | 'ocr.too_many_pages'
  | 'ocr.blank'
  | 'ocr.timeout';

/**
 * An input the OCR engine will not or cannot read: the sender's to fix (category `user`), so the
 * raw document is kept quarantined with this reason rather than retried. `details` name the page
 * (`pages[2]`) where one page is the cause.
 */
export class OcrInputError extends HubError {
  constructor(
    override readonly code: OcrInputErrorCode,
    message: string,
    options: { readonly details?: readonly ErrorDetail[]; readonly cause?: unknown } = {},
  ) {
    super(code, message, 'user', options);
  }
}

/**
 * The engine cannot start: language data missing or unreadable. Raised by `createOcrEngine` (or the
 * first page, if the data goes away after start), never for a document, so it is not an
 * OcrInputError: a document must not be quarantined because the hub was installed without its data.
 */
export class OcrLanguageDataError extends HubError {
  constructor(message: string, details: readonly ErrorDetail[], cause?: unknown) {
    super('ocr.language_data_missing', message, 'unexpected', { details, cause });
  }
}
