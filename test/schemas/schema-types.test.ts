// The types in src/generated/ are what their JSON Schemas give (scripts/schema-types.ts): a schema
// changed without `npm run schema-types` (or a generated file edited by hand) fails here.
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateSchemaTypes } from '../../scripts/schema-types.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('types derived from the JSON Schemas (src/generated)', () => {
  it('every generated file is what its schema gives today', async () => {
    const generated = await generateSchemaTypes();
    // Nothing in src/generated/ that no schema gives (a leftover of a renamed schema).
    expect(
      readdirSync(root + 'src/generated')
        .map((f) => `src/generated/${f}`)
        .sort(),
    ).to.deep.equal([...generated.keys()].sort());
    for (const [file, text] of generated) {
      expect(readFileSync(root + file, 'utf8'), `${file} is stale: run npm run schema-types`).to.equal(text);
    }
  });
});
