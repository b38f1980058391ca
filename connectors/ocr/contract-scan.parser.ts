import type { ErrorDetail } from '../../core/errors/hub-error';
import type { FormatParser, ParseContext, ParseResult } from '../connector';
import { extractContract, type ContractExtraction, type ExtractionOptions } from './contract-extractor';
import type { OcrDocument } from './ocr-document';
import type { OcrEngine } from './ocr-engine';
import { OcrInputError } from './ocr-errors';
import { readingDocument } from './ocr-reading';
import { CONTRACT_SCAN_FORMAT, looksLikeScan } from './scan-format';

/**
 * Scanned contracts (format `contract-scan`): the shared OCR engine reads the pages, the contract
 * extractor maps them to one order draft, and every value it is unsure of becomes a doubt, which
 * intake raises as a warning of rule `ocr` naming the field, so such an order always waits for a
 * reviewer. What OCR saw (pages, fields, boxes) is handed back as the reading intake keeps for the
 * review screen (GET /api/v1/orders/:id/source).
 *
 * Input the engine refuses (corrupt, blank, too large, too many pages or pixels) and documents that
 * are not contracts are quarantined with the engine's code or `ocr.not_a_contract`; the raw
 * message stays and can be replayed. Any other failure is thrown, so intake retries it.
 */

/** The rule name OCR doubts carry on the order's issues; `rules.review.byRule.ocr` may add reviewers. */
export const OCR_RULE = 'ocr';

export type ContractScanOptions = ExtractionOptions;

/** The one order a contract holds, as intake names it in ids and messages. */
const CONTRACT_REF = 'contract';

export function createContractScanParser(engine: Pick<OcrEngine, 'recognize'>, options: ContractScanOptions): FormatParser {
  return {
    format: CONTRACT_SCAN_FORMAT,

    sniff(body: Buffer): boolean {
      return looksLikeScan(body);
    },

    async parse(body: Buffer, context: ParseContext): Promise<ParseResult> {
      const name = context.fileName ?? 'document';
      let document: OcrDocument;
      try {
        document = await engine.recognize(
          { body, ...(context.fileName ? { fileName: context.fileName } : {}), ...(context.contentType ? { contentType: context.contentType } : {}) },
          { keepImages: true, ...(context.onProgress ? { onProgress: context.onProgress } : {}) },
        );
      } catch (err) {
        // The reason names the file; the engine's details, where it gave any, name the page.
        if (err instanceof OcrInputError) return refused(err.code, [{ path: name, message: err.message, code: err.code }, ...err.details]);
        throw err;
      }
      const extraction = extractContract(document, options);
      if (!extraction.isContract) {
        return refused('ocr.not_a_contract', [{ path: name, message: `not a contract: ${extraction.reason ?? 'no contract number, parties or item table found'}`, code: 'ocr.not_a_contract' }]);
      }
      if (!extraction.draft) return refused('ocr.no_order', missingDraft(extraction));
      const doubts = extraction.doubts.map((doubt) => ({ rule: OCR_RULE, code: doubt.code, path: doubt.path, message: onPage(doubt.message, doubt.page) }));
      const reading = readingDocument(
        {
          confidence: extraction.confidence,
          pages: document.pages.map((page) => ({ index: page.index, width: page.width, height: page.height, source: page.source, ...(page.image ? { image: page.image } : {}) })),
          fields: extraction.fields.map((field) => ({ ...field })),
          doubts: extraction.doubts.map((doubt) => ({ ...doubt })),
        },
        name,
      );
      return { ok: true, issues: [], orders: [{ ref: CONTRACT_REF, draft: extraction.draft, issues: [], doubts, confidence: extraction.confidence }], reading };
    },
  };
}

/** Doubts name the page for people; pages count from 1 in messages, from 0 in the data. */
function onPage(message: string, page: number | undefined): string {
  return page === undefined ? message : `${message} (page ${page + 1})`;
}

/** A contract whose order could not be put together: every doubt says why, else one line does. */
function missingDraft(extraction: ContractExtraction): ErrorDetail[] {
  const details = extraction.doubts.map((doubt) => ({ path: doubt.path, message: onPage(doubt.message, doubt.page), code: doubt.code }));
  return details.length > 0 ? details : [{ path: '', message: 'the contract was recognised but no order could be read from it', code: 'ocr.no_order' }];
}

function refused(code: string, issues: readonly ErrorDetail[]): ParseResult {
  return { ok: false, code, issues, orders: [] };
}
