import sharp, { type Sharp } from 'sharp';
import { estimateSkew } from './deskew';
import type { OcrPreprocessConfig } from './ocr-engine.config';

/**
 * Turns a decoded page into the image tesseract reads: grey, scaled so text is about `targetDpi`,
 * optionally with its background flattened, straightened and binarised, and always tagged with its
 * resolution (tesseract reads markedly worse when it has to guess). Which optional steps are on by
 * default is decided by the corpus measurement in docs/benchmarks.md ("OCR").
 * sharp operations: https://sharp.pixelplumbing.com/api-operation, https://sharp.pixelplumbing.com/api-resize.
 */

export interface PageGeometry {
  readonly width: number;
  readonly height: number;
  /** DPI from the file's resolution tag, if any. */
  readonly density?: number;
}

export interface PreparedPage {
  /** PNG, grey, tagged with `targetDpi`. */
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  /** Degrees the page was turned back (0 when not deskewed). */
  readonly skew: number;
}

/** Resolution tags outside this range are phone defaults (72) or nonsense; the page size decides instead. */
const PLAUSIBLE_DPI = { min: 100, max: 1200 };
/** A page without a believable tag is taken for A4 (11.69 in on its long side), the size of nearly every contract here. */
const ASSUMED_PAGE_LONG_SIDE_IN = 11.69;
/** Scaling by less than this is not worth the resampling blur. */
const SCALE_TOLERANCE = 0.05;
/** Width of the copy the skew is measured on; plenty for an angle to a twentieth of a degree. */
const SKEW_SAMPLE_WIDTH = 1000;
/** Smaller angles are left alone: turning costs sharpness and tesseract copes with them. */
const MIN_SKEW_DEG = 0.3;
/** Dots of dust or fax noise are one or two pixels; a 3 × 3 median takes them and leaves 300-DPI strokes. */
const DESPECKLE_MEDIAN = 3;
/**
 * Share of pixels that are dark with no dark neighbour above which a page counts as speckled. On
 * the corpus the speckled scan has 108 in 10,000 and every other page at most 0.05, so 5 in
 * 10,000 leaves a hundredfold margin on both sides.
 */
const SPECKLED_SHARE = 5e-4;
/** The background estimate is made at 1/8 size with a 9-pixel median (about 70 px at full size, wider than a character stroke run) and then blurred. */
const BACKGROUND_SHRINK = 8;
const BACKGROUND_MEDIAN = 9;
const BACKGROUND_BLUR_SIGMA = 4;

export function sourceDpi(page: PageGeometry): number {
  if (page.density !== undefined && page.density >= PLAUSIBLE_DPI.min && page.density <= PLAUSIBLE_DPI.max) return page.density;
  const estimated = Math.max(page.width, page.height) / ASSUMED_PAGE_LONG_SIDE_IN;
  return Math.min(600, Math.max(PLAUSIBLE_DPI.min, estimated));
}

export async function preparePage(decoder: Sharp, page: PageGeometry, options: { readonly targetDpi: number; readonly preprocess: OcrPreprocessConfig }): Promise<PreparedPage> {
  const scale = options.targetDpi / sourceDpi(page);
  let pipeline = decoder.grayscale();
  if (Math.abs(scale - 1) > SCALE_TOLERANCE) {
    pipeline = pipeline.resize(Math.round(page.width * scale), Math.round(page.height * scale), { kernel: scale > 1 ? 'cubic' : 'lanczos3', fit: 'fill' });
  }
  let grey = await toGrey(pipeline);
  if (options.preprocess.despeckle && isolatedDots(grey) > SPECKLED_SHARE) grey = await toGrey(fromGrey(grey).median(DESPECKLE_MEDIAN));

  if (options.preprocess.flattenBackground) grey = await flattenBackground(grey);

  let skew = 0;
  if (options.preprocess.deskew) {
    const angle = estimateSkew(await toGrey(fromGrey(grey).resize(Math.min(SKEW_SAMPLE_WIDTH, grey.width))));
    if (Math.abs(angle) >= MIN_SKEW_DEG) {
      skew = angle;
      grey = await toGrey(fromGrey(grey).rotate(-angle, { background: '#ffffff' }));
    }
  }
  let out = fromGrey(grey);
  if (options.preprocess.threshold) out = out.threshold(otsu(grey.data), { grayscale: true });

  const { data, info } = await out.toColourspace('b-w').png({ compressionLevel: 1 }).withDensity(options.targetDpi).toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height, skew };
}

interface Grey {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/** sharp reads one-channel raw pixels as grey but writes sRGB unless told otherwise: every raw read goes through toGrey. */
function fromGrey(grey: Grey): Sharp {
  return sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: 1 } });
}

async function toGrey(pipeline: Sharp): Promise<Grey> {
  const { data, info } = await pipeline.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * Divides each pixel by the local background (the page with its text removed by a wide median and
 * blurred), so shading, shadows and a grey paper tone become white while ink stays dark; then
 * stretches the contrast between the 1st and 99th percentile. Both in plain loops over the bytes:
 * sharp's normalise() costs several times more on a page this size.
 */
async function flattenBackground(grey: Grey): Promise<Grey> {
  const small = { width: Math.max(1, Math.round(grey.width / BACKGROUND_SHRINK)), height: Math.max(1, Math.round(grey.height / BACKGROUND_SHRINK)) };
  const blurred = await toGrey(fromGrey(grey).resize(small.width, small.height, { fit: 'fill' }).median(BACKGROUND_MEDIAN).blur(BACKGROUND_BLUR_SIGMA));
  const background = await toGrey(fromGrey(blurred).resize(grey.width, grey.height, { fit: 'fill', kernel: 'linear' }));
  const reciprocal = new Float32Array(256).map((_, v) => 255 / Math.max(1, v));
  const flat = Buffer.allocUnsafe(grey.data.length);
  const hist = new Uint32Array(256);
  for (let i = 0; i < flat.length; i += 1) {
    const v = Math.min(255, Math.round(grey.data[i]! * reciprocal[background.data[i]!]!));
    flat[i] = v;
    hist[v]! += 1;
  }
  const low = percentile(hist, flat.length, 0.01);
  const high = Math.max(low + 1, percentile(hist, flat.length, 0.99));
  const stretch = new Uint8Array(256).map((_, v) => Math.min(255, Math.max(0, Math.round(((v - low) * 255) / (high - low)))));
  for (let i = 0; i < flat.length; i += 1) flat[i] = stretch[flat[i]!]!;
  return { data: flat, width: grey.width, height: grey.height };
}

/** The grey level below which `share` of the pixels lie. */
function percentile(hist: Uint32Array, total: number, share: number): number {
  let seen = 0;
  for (let v = 0; v < 256; v += 1) {
    seen += hist[v]!;
    if (seen >= share * total) return v;
  }
  return 255;
}

/** Share of pixels that are ink (darker than mid-grey) with all eight neighbours paper. */
function isolatedDots(grey: Grey): number {
  const { data, width, height } = grey;
  let dots = 0;
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const i = y * width + x;
      if (data[i]! >= 128) continue;
      if (
        data[i - 1]! >= 128 && data[i + 1]! >= 128 && data[i - width]! >= 128 && data[i + width]! >= 128 &&
        data[i - width - 1]! >= 128 && data[i - width + 1]! >= 128 && data[i + width - 1]! >= 128 && data[i + width + 1]! >= 128
      ) {
        dots += 1;
      }
    }
  }
  return dots / (width * height);
}

/** Otsu's threshold: the grey level that best separates ink from paper in the histogram. */
export function otsu(data: Uint8Array): number {
  const hist = new Float64Array(256);
  for (const v of data) hist[v]! += 1;
  const total = data.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i += 1) sumAll += i * hist[i]!;
  let sumBack = 0;
  let weightBack = 0;
  let best = 128;
  let bestVariance = -1;
  for (let t = 0; t < 256; t += 1) {
    weightBack += hist[t]!;
    if (weightBack === 0) continue;
    const weightFore = total - weightBack;
    if (weightFore === 0) break;
    sumBack += t * hist[t]!;
    const meanBack = sumBack / weightBack;
    const meanFore = (sumAll - sumBack) / weightFore;
    const variance = weightBack * weightFore * (meanBack - meanFore) ** 2;
    if (variance > bestVariance) [best, bestVariance] = [t, variance];
  }
  return best;
}
