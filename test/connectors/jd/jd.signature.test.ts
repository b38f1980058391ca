import { createHash } from 'node:crypto';
import { signJosRequest } from '../../../connectors/jd/jd.signature';

describe('JOS request signature', () => {
  const form = {
    method: 'jingdong.pop.order.search',
    app_key: 'ABCDEF0123',
    access_token: 'token-1',
    timestamp: '2026-03-02 12:00:00',
    v: '2.0',
    '360buy_param_json': '{"page":"1","page_size":"50"}',
  };

  it('is MD5 of secret + name/value pairs sorted by name + secret, upper-case hex', () => {
    const text = `360buy_param_json${form['360buy_param_json']}access_tokentoken-1app_keyABCDEF0123methodjingdong.pop.order.searchtimestamp2026-03-02 12:00:00v2.0`;
    expect(signJosRequest(form, 'jd-secret')).toBe(createHash('md5').update(`jd-secret${text}jd-secret`).digest('hex').toUpperCase());
  });

  it('ignores a sign field already present and changes with the business JSON', () => {
    expect(signJosRequest({ ...form, sign: 'X' }, 'jd-secret')).toBe(signJosRequest(form, 'jd-secret'));
    expect(signJosRequest({ ...form, '360buy_param_json': '{"page":"2","page_size":"50"}' }, 'jd-secret')).not.toBe(signJosRequest(form, 'jd-secret'));
  });
});
