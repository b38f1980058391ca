import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFERENCE_FILE, renderReference } from '../../../config/reference';

describe('config/reference.md', () => {
  const rendered = renderReference();

  it('matches what the schemas generate', () => {
    const file = join(__dirname, '../../..', REFERENCE_FILE);
    const checkedIn = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (checkedIn !== rendered) throw new Error(`${REFERENCE_FILE} is stale: run \`npm run reference\` to regenerate it from the schemas`);
  });

  it('documents every connector kind with its summary and marks secrets', () => {
    expect(rendered).toContain('### webhook-target\n\nPOSTs each routed order event');
    expect(rendered).toContain('### rest-api\n\n');
    expect(rendered).toMatch(/\| `connectors\[\]\.secret` \| string, \*\*secret\*\* \| \*\*required\*\* \|/);
    expect(rendered).toMatch(/\| `store\.url` \| string, \*\*secret\*\* \|/);
  });

  it('shows defaults and says how relative paths resolve', () => {
    expect(rendered).toContain('| `http.port` | integer 0–65535 | `8080` |');
    expect(rendered).toContain('against the working directory of the hub process');
  });
});
