import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * kuaidi100's two MD5 recipes, both rendered as 32 upper-case hex characters:
 * - requests: sign = MD5(param + t + key + secret), where param is the JSON string exactly as sent
 *   (https://api.kuaidi100.com/document/dianzimiandanV2, 1.2 请求参数);
 * - pushes: sign = MD5(param + salt), salt being the one we sent when ordering
 *   (https://apifox.com/apidoc/project-514987/api-55500331, 快递信息推送接口).
 */

export function requestSign(param: string, t: string, key: string, secret: string): string {
  return md5Upper(param + t + key + secret);
}

export function pushSign(param: string, salt: string): string {
  return md5Upper(param + salt);
}

/**
 * The salt sent with one order's waybill. Derived rather than random so the hook can recompute it
 * from the `orderId` in its own URL, and keyed so a push signed for one order never verifies for
 * another (the salt is what binds the unsigned query to the signed body).
 */
export function pushSalt(saltSecret: string, orderId: string): string {
  return createHmac('sha256', saltSecret).update(orderId, 'utf8').digest('hex').slice(0, 32);
}

/** Constant-time comparison of two hex signatures, case-insensitive (the docs show both cases). */
export function sameSign(given: string, expected: string): boolean {
  const a = Buffer.from(given.toUpperCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function md5Upper(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}
