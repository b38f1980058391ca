import type { Logger } from 'pino';
import { HubError } from '../core/errors/hub-error';
import type { FormatParser } from '../connectors/connector';
import { createContractScanParser } from '../connectors/ocr/contract-scan.parser';
import { createOcrEngine } from '../connectors/ocr/ocr-engine';
import { OcrLanguageDataError } from '../connectors/ocr/ocr-errors';
import type { OcrConfig } from '../connectors/ocr/ocr.config';
import { createDisabledContractScanParser } from '../connectors/ocr/scan-format';

export interface ContractScanning {
  /** The `contract-scan` parser: reading with the engine, or quarantining as ocr.disabled. */
  readonly parser: FormatParser;
  /** Stops the engine's workers; nothing to do when there is no engine. */
  close(): Promise<void>;
}

/**
 * The one OCR engine of this hub process, shared by every intake job (its worker threads are the
 * expensive part), behind the contract-scan parser. Only processes that run intake get an engine;
 * the others need the parser for sniffing alone. With `ocr.enabled: true` missing language data
 * stops the start; unset, it turns OCR off with a warning.
 */
export function startContractScanning(config: OcrConfig, runsIntake: boolean, log: Logger): ContractScanning {
  const off = { parser: createDisabledContractScanParser(), close: async () => undefined };
  if (!runsIntake || config.enabled === false) return off;
  try {
    const engine = createOcrEngine(config, log.child({ component: 'ocr' }));
    log.info({ languages: config.languages, workers: config.workers }, 'OCR on: scanned contracts are read in intake');
    return { parser: createContractScanParser(engine, { minConfidence: config.minConfidence, defaultCurrency: config.defaultCurrency }), close: () => engine.close() };
  } catch (err) {
    if (!(err instanceof OcrLanguageDataError)) throw err;
    if (config.enabled === true) {
      throw new HubError('ocr.language_data_missing', `ocr.enabled is true but the OCR language data cannot be loaded: ${err.message}. Install it (npm packages @tesseract.js-data/<language>, or ocr.languageDataPath), or set ocr.enabled: false.`, 'user', { details: err.details, cause: err });
    }
    log.warn({ err: err.message, details: err.details }, 'OCR off: its language data is not installed; scans are kept and quarantined as ocr.disabled (set ocr.enabled to decide explicitly)');
    return off;
  }
}
