import { writeFileSync } from 'node:fs';
import { REFERENCE_FILE, renderReference } from './reference';

/** `npm run reference`: run from the repository root, where REFERENCE_FILE is relative to. */
writeFileSync(REFERENCE_FILE, renderReference());
console.log(`wrote ${REFERENCE_FILE}`);
