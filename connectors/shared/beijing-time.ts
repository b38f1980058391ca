/**
 * China's shop platforms (Taobao TOP, JD JOS) write times as `yyyy-MM-dd HH:mm:ss` in Beijing time
 * (GMT+8, no daylight saving), in request parameters and in the orders they return alike.
 */

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const PLATFORM_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** `2026-03-01 09:30:00` for the instant given, in Beijing time; milliseconds are dropped. */
export function toBeijingTime(instant: Date | string | number): string {
  const shifted = new Date(new Date(instant).getTime() + BEIJING_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}`;
}

/**
 * The ISO 8601 instant (UTC, `Z`) of a Beijing-time text.
 * @returns undefined when the text is not `yyyy-MM-dd HH:mm:ss` or names no real time
 */
export function fromBeijingTime(text: string): string | undefined {
  const match = PLATFORM_TIME.exec(text.trim());
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}+08:00`);
  // Date.parse rolls 02-30 over into March; a real time reads back the same.
  if (Number.isNaN(ms) || toBeijingTime(ms) !== text.trim()) return undefined;
  return new Date(ms).toISOString();
}
