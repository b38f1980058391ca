import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * e签宝's two HMAC-SHA256 schemes, both keyed with the app secret, as its open-platform guide
 * documents (https://open.esign.cn/doc/opendoc/dev-guide3/el34xh, 请求签名鉴权方式说明 and 回调通知):
 * - requests: X-Tsign-Open-Ca-Signature = Base64(HMAC(stringToSign)), stringToSign being
 *   "METHOD\nAccept\nContent-MD5\nContent-Type\nDate\nPathAndParameters" (Date empty, no signed
 *   extra headers), Content-MD5 = Base64(MD5(body bytes));
 * - callbacks: X-Tsign-Open-SIGNATURE = hex(HMAC(timestamp + query values by key order + raw body)).
 */

export const ACCEPT = '*/*';
export const CONTENT_TYPE = 'application/json; charset=UTF-8';

export function contentMd5(body: string | Buffer): string {
  return createHash('md5').update(body).digest('base64');
}

export function stringToSign(method: string, md5: string, pathAndParameters: string): string {
  return `${method}\n${ACCEPT}\n${md5}\n${CONTENT_TYPE}\n\n${pathAndParameters}`;
}

export function requestSignature(appSecret: string, text: string): string {
  return createHmac('sha256', appSecret).update(text, 'utf8').digest('base64');
}

export function callbackSignature(appSecret: string, timestamp: string, query: Readonly<Record<string, string | undefined>>, rawBody: Buffer): string {
  const values = Object.keys(query)
    .sort()
    .map((key) => query[key] ?? '')
    .join('');
  return createHmac('sha256', appSecret).update(timestamp + values, 'utf8').update(rawBody).digest('hex');
}

/** Constant-time comparison of hex signatures, case-insensitive. */
export function sameHex(given: string, expected: string): boolean {
  const a = Buffer.from(given.toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
