import { createHash, createHmac } from 'node:crypto';

/**
 * TOP request signatures, as the platform documents them (API调用方法详解 → 签名算法,
 * https://open.taobao.com/doc.htm?docId=101617&docType=1; the same text is mirrored at
 * https://blog.csdn.net/weixin_46124208/article/details/130508075):
 *
 * 1. every request parameter except `sign` (and byte[] uploads), sorted by name in ASCII order;
 * 2. names and values concatenated: `bar2foo1foo_bar3foobar4`;
 * 3. digested as UTF-8: md5 → MD5(secret + text + secret); hmac → HMAC-MD5(text) keyed with the
 *    secret; hmac-sha256 → HMAC-SHA256(text) keyed with the secret;
 * 4. written as upper-case hex.
 *
 * Empty values are left out, as the official SDKs do (`areNotEmpty(key, value)`).
 */

export type TopSignMethod = 'md5' | 'hmac' | 'hmac-sha256';

export function signTopRequest(params: Readonly<Record<string, string>>, secret: string, method: TopSignMethod): string {
  const text = Object.keys(params)
    .filter((name) => name !== 'sign' && params[name] !== '')
    // Code-unit order is ASCII order for the ASCII names TOP uses; localeCompare would put "_" elsewhere.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name}${params[name]}`)
    .join('');
  const digest =
    method === 'md5'
      ? createHash('md5').update(`${secret}${text}${secret}`, 'utf8').digest('hex')
      : createHmac(method === 'hmac' ? 'md5' : 'sha256', secret).update(text, 'utf8').digest('hex');
  return digest.toUpperCase();
}
