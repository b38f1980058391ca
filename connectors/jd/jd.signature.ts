import { createHash } from 'node:crypto';

/**
 * JOS request signature (京东开放平台 签名算法, https://jos.jd.com/commondoc?listId=33, the page JOS's
 * own error 12 "无效签名" points to): every system parameter and `360buy_param_json` except `sign`,
 * sorted by name, concatenated as name+value, wrapped in the app secret, MD5 over the UTF-8 bytes,
 * upper-case hex: MD5(secret + k1v1k2v2… + secret), the construction open-source JOS clients use
 * (a sorted map of the form fields). Empty values are left out, as TOP-style routers do.
 */
export function signJosRequest(params: Readonly<Record<string, string>>, secret: string): string {
  const text = Object.keys(params)
    .filter((name) => name !== 'sign' && params[name] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name}${params[name]}`)
    .join('');
  return createHash('md5').update(`${secret}${text}${secret}`, 'utf8').digest('hex').toUpperCase();
}
