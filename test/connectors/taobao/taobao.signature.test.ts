import { createHash, createHmac } from 'node:crypto';
import { signTopRequest } from '../../../connectors/taobao/taobao.signature';

/** The example of TOP's signing guide: foo:1, bar:2, foo_bar:3, foobar:4 concatenate as below. */
const PARAMS = { foo: '1', bar: '2', foo_bar: '3', foobar: '4' };
const DOCUMENTED_TEXT = 'bar2foo1foo_bar3foobar4';

describe('TOP request signature', () => {
  it('md5 wraps the ASCII-sorted name+value text in the secret, upper-case hex', () => {
    const expected = createHash('md5').update(`s3cr3t${DOCUMENTED_TEXT}s3cr3t`).digest('hex').toUpperCase();
    expect(signTopRequest(PARAMS, 's3cr3t', 'md5')).toBe(expected);
  });

  it('hmac and hmac-sha256 key the digest with the secret instead of wrapping', () => {
    expect(signTopRequest(PARAMS, 's3cr3t', 'hmac')).toBe(createHmac('md5', 's3cr3t').update(DOCUMENTED_TEXT).digest('hex').toUpperCase());
    expect(signTopRequest(PARAMS, 's3cr3t', 'hmac-sha256')).toBe(createHmac('sha256', 's3cr3t').update(DOCUMENTED_TEXT).digest('hex').toUpperCase());
  });

  it('leaves out sign itself and empty values, and hashes Chinese values as UTF-8', () => {
    const base = { method: 'taobao.trade.fullinfo.get', buyer_nick: '采购004' };
    const signed = signTopRequest(base, 'k', 'md5');
    expect(signTopRequest({ ...base, sign: 'OLD', session: '' }, 'k', 'md5')).toBe(signed);
    expect(signed).toBe(createHash('md5').update(Buffer.from('kbuyer_nick采购004methodtaobao.trade.fullinfo.getk', 'utf8')).digest('hex').toUpperCase());
  });

  it('changes when any value changes', () => {
    expect(signTopRequest({ ...PARAMS, foo: '2' }, 's3cr3t', 'md5')).not.toBe(signTopRequest(PARAMS, 's3cr3t', 'md5'));
  });
});
