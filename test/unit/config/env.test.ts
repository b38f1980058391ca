import { interpolate } from '../../../config/env';

describe('interpolate', () => {
  it('substitutes a set variable and says the value came from the environment', () => {
    expect(interpolate('redis://${HOST}:6379', { HOST: 'cache' })).toEqual({ ok: true, value: 'redis://cache:6379', fromEnv: true });
  });

  it('uses the default when the variable is unset or empty', () => {
    expect(interpolate('${PORT:-8080}', {})).toEqual({ ok: true, value: '8080', fromEnv: true });
    expect(interpolate('${PORT:-8080}', { PORT: '' })).toEqual({ ok: true, value: '8080', fromEnv: true });
    expect(interpolate('${PORT:-8080}', { PORT: '9000' })).toEqual({ ok: true, value: '9000', fromEnv: true });
  });

  it('reads $${ as a literal ${ that is not a reference', () => {
    expect(interpolate('cost $${PRICE} and $$5', { PRICE: '1' })).toEqual({ ok: true, value: 'cost ${PRICE} and $$5', fromEnv: false });
  });

  it('leaves text without references as it is', () => {
    expect(interpolate('$string(qty)', {})).toEqual({ ok: true, value: '$string(qty)', fromEnv: false });
  });

  it('names an unset variable that has no default', () => {
    expect(interpolate('${A}-${B}', { A: 'x' })).toEqual({ ok: false, errors: ['environment variable B is not set'] });
  });

  it('refuses malformed and unclosed references', () => {
    expect(interpolate('${1BAD}', {})).toMatchObject({ ok: false, errors: [expect.stringContaining('bad reference "${1BAD}"')] });
    expect(interpolate('${OPEN', {})).toMatchObject({ ok: false, errors: [expect.stringContaining('unclosed')] });
  });
});
