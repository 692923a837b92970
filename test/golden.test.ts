// Golden fixtures: test/fixtures/transform/*.input.json through the shipped mappings must give
// exactly *.expected.json. `UPDATE_GOLDEN=1 npm test` rewrites them (review the diff); CI never does.
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { jsonDiff, loadCases, runCase, writeExpected } from '../src/fixtures/golden.js';
import { MappingStore } from '../src/mapping/mapping-store.js';

const dir = fileURLToPath(new URL('./fixtures/transform/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1' && process.env.CI !== 'true';

describe('golden fixtures: /transform with the shipped mappings', () => {
  const store = new MappingStore(fileURLToPath(new URL('../mappings/', import.meta.url)));
  const report = store.load();

  it('the shipped mappings load without problems', () => {
    expect(report.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`)).to.deep.equal([]);
  });

  const cases = loadCases(dir);
  it('has at least 40 cases', () => expect(cases.length).to.be.at.least(40));

  for (const c of cases) {
    it(`${c.name}${c.description ? `: ${c.description}` : ''}`, async () => {
      const r = await runCase(c, store.current);
      if (update && !r.pass) {
        writeExpected(r);
        return;
      }
      if (r.problem) throw new Error(r.problem);
      if (!r.pass)
        throw new Error(`${c.expectedFile} differs (- expected, + actual):\n${jsonDiff(r.expected, r.actual)}`);
    });
  }
});
