/**
 * Skew of a page's text lines by projection profile: dark pixels are projected onto the vertical
 * axis along each candidate angle, and the angle whose profile has the sharpest peaks (largest sum
 * of squared bin counts) is the one the lines run at. A coarse pass over ±MAX_ANGLE is refined
 * around its best. Run on a downscaled grey copy: the angle does not need full resolution.
 */

/** Scanned and photographed contracts are rarely more crooked than this; wider costs time and risks table rules winning. */
const MAX_ANGLE_DEG = 6;
const COARSE_STEP_DEG = 0.5;
const FINE_STEP_DEG = 0.05;
/** Pixels darker than this (0–255) count as ink. */
const INK_LEVEL = 128;
/** Enough ink pixels for a stable estimate; more are sampled down to this. */
const MAX_SAMPLES = 60_000;
/** Below this many ink pixels the page is near empty and no angle is claimed. */
const MIN_SAMPLES = 500;

export interface GreyImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Degrees, clockwise (the lines fall to the right for a positive angle); 0 when unsure. */
export function estimateSkew(image: GreyImage): number {
  const xs: number[] = [];
  const ys: number[] = [];
  const { data, width, height } = image;
  let ink = 0;
  for (let i = 0; i < data.length; i += 1) if (data[i]! < INK_LEVEL) ink += 1;
  if (ink < MIN_SAMPLES) return 0;
  const stride = Math.max(1, Math.floor(ink / MAX_SAMPLES));
  let seen = 0;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (data[y * width + x]! < INK_LEVEL && seen++ % stride === 0) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  const score = (deg: number): number => profileScore(xs, ys, width, height, deg);
  let best = 0;
  let bestScore = score(0);
  for (let deg = -MAX_ANGLE_DEG; deg <= MAX_ANGLE_DEG; deg += COARSE_STEP_DEG) {
    const s = score(deg);
    if (s > bestScore) [best, bestScore] = [deg, s];
  }
  const coarse = best;
  for (let deg = coarse - COARSE_STEP_DEG; deg <= coarse + COARSE_STEP_DEG; deg += FINE_STEP_DEG) {
    const s = score(deg);
    if (s > bestScore) [best, bestScore] = [deg, s];
  }
  return Math.round(best * 100) / 100;
}

function profileScore(xs: readonly number[], ys: readonly number[], width: number, height: number, deg: number): number {
  const tan = Math.tan((deg * Math.PI) / 180);
  const offset = Math.ceil(Math.abs(tan) * width);
  const bins = new Int32Array(height + 2 * offset + 1);
  for (let i = 0; i < xs.length; i += 1) bins[Math.round(ys[i]! - xs[i]! * tan) + offset]! += 1;
  let sum = 0;
  for (const n of bins) sum += n * n;
  return sum;
}
