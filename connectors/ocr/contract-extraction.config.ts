import { z } from 'zod';

/**
 * How the contract extractor decides what it is sure of. The threshold was chosen on the contract
 * corpus (docs/ocr-accuracy.md): one step above the lowest value at which no field read wrong by the
 * real OCR engine is accepted without a doubt.
 */
export const contractExtractionConfig = z.object({
  minConfidence: z
    .number()
    .min(0)
    .max(1)
    .default(0.93)
    .meta({
      description:
        'Fields read with a confidence (0–1: the lowest OCR word confidence of the value, lowered for every repair and format problem) below this become doubts, so the order waits for review. Chosen on the contract corpus, see docs/ocr-accuracy.md.',
      examples: [0.93],
    }),
  defaultCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY')
    .default('CNY')
    .meta({ description: 'Currency assumed when a contract names none (no ¥, 人民币, 元, USD … anywhere); the order then carries a doubt on `currency`.', examples: ['CNY'] }),
});

export type ContractExtractionConfig = z.output<typeof contractExtractionConfig>;
