import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * 法大大 FASC OpenAPI 5.1 signature, the same for requests and callbacks (https://dev.fadada.com,
 * 开发前必读 › 接口请求说明 › 签名算法, and 回调事件 › 回调通知安全机制; official SDKs at
 * https://gitee.com/fadada-cloud/fasc-openapi-java-sdk):
 * every signed parameter (the X-FASC-* headers except X-FASC-Sign, plus the `bizContent` form
 * field) with a non-empty value, sorted by name, joined `k=v&k=v` without percent-encoding;
 * signingKey = HMAC-SHA256(appSecret, X-FASC-Timestamp); X-FASC-Sign = hex(HMAC-SHA256(signingKey,
 * sha256hex(joined))), as the SDK's FddCryptUtil.sign() computes it.
 */

export const SIGN_TYPE = 'HMAC-SHA256';
export const SUB_VERSION = '5.1';

export function fascSign(params: Readonly<Record<string, string | undefined>>, timestamp: string, appSecret: string): string {
  const joined = Object.keys(params)
    .filter((key) => params[key])
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
  const signingKey = createHmac('sha256', appSecret).update(timestamp, 'utf8').digest();
  return createHmac('sha256', signingKey).update(createHash('sha256').update(joined, 'utf8').digest('hex'), 'utf8').digest('hex');
}

/** 32 characters, as X-FASC-Nonce allows; 法大大 refuses a nonce seen in the last 10 minutes. */
export function nonce(): string {
  return randomBytes(16).toString('hex');
}

export function sameHex(given: string, expected: string): boolean {
  const a = Buffer.from(given.toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
