import { z } from 'zod';
import { contractExtractionConfig } from './contract-extraction.config';
import { ocrEngineConfig } from './ocr-engine.config';

/**
 * The `ocr:` section of hub.yaml: whether scanned contracts are read, the engine's settings
 * (ocr-engine.config.ts) and the extractor's (contract-extraction.config.ts), side by side.
 */
export const ocrConfig = ocrEngineConfig
  .extend({
    enabled: z
      .boolean()
      .optional()
      .meta({
        description:
          'true: scanned contracts (uploads, image/PDF mail attachments, files dropped in a folder) are read by OCR, and the hub does not start without the language data. false: they are kept and quarantined as ocr.disabled, to replay later. Unset: on when the language data is installed, else off with a warning at start.',
      }),
    ...contractExtractionConfig.shape,
  })
  .meta({ description: 'OCR of scanned contracts: tesseract.js with local language data, then the contract extractor; every value it is not sure of sends the order to review.' });

export type OcrConfig = z.output<typeof ocrConfig>;
