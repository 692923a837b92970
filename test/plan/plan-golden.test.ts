// Golden cases for the pure batch planner: each test/fixtures/plan/*.json holds an input and the
// output the planner must produce. `UPDATE_GOLDEN=1 npx mocha test/plan/plan-golden.test.ts`
// rewrites the expected outputs; read the diff before committing it.
import { expect } from 'chai';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planLookups, type LookupRequest } from '../../src/plan/lookup-plan.js';
import { assignRecords, type FoundRecord } from '../../src/plan/lookup-resolve.js';
import { mergeWrites, type WriteIntent, type WriteUnit } from '../../src/plan/record-merge.js';
import { planCollectionCalls } from '../../src/plan/write-plan.js';
import { buildBulkCsv, type CsvRecord } from '../../src/plan/bulk-csv.js';
import type { Match, Operation } from '../../src/operation/operation.js';
import { planDelivery, type LookupAnswer } from '../../src/plan/delivery-planner.js';
import { planProblem } from '../../src/plan/validate-plan.js';
import { loadObjectCatalog } from '../../src/salesforce/object-catalog.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'plan');

interface Golden {
  about: string;
  kind: 'lookups' | 'assign' | 'merge' | 'collections' | 'csv' | 'delivery';
  options?: Record<string, unknown>;
  input: unknown;
  expected?: unknown;
}

function run(g: Golden): unknown {
  switch (g.kind) {
    case 'lookups':
      return planLookups(g.input as LookupRequest[], {
        maxEncodedLength: g.options?.maxEncodedLength as number,
        catalog: g.options?.catalog === 'shipped' ? loadObjectCatalog() : undefined,
      });
    case 'assign': {
      const { matches, records } = g.input as { matches: Match[]; records: FoundRecord[] };
      const meta = g.options?.object ? loadObjectCatalog().get(g.options.object as string) : undefined;
      return assignRecords(matches, records, meta).map((found) => found.map((r) => r.Id));
    }
    case 'merge':
      return mergeWrites(g.input as WriteIntent[]);
    case 'collections':
      return planCollectionCalls(g.input as WriteUnit[], '66.0', g.options?.limit as number);
    case 'delivery': {
      // Operations + canned lookup answers → the Plan: what /proxy would send, and why.
      const { events, answers } = g.input as { events: Array<{ operations: Operation[] }>; answers: LookupAnswer[] };
      const plan = planDelivery(events, answers, {
        apiVersion: '66.0',
        catalog: g.options?.catalog === 'shipped' ? loadObjectCatalog() : undefined,
        bulkThreshold: g.options?.bulkThreshold as number | undefined,
      });
      expect(planProblem(JSON.parse(JSON.stringify(plan))), 'plan.schema.json').to.equal(undefined);
      return plan;
    }
    case 'csv':
      return buildBulkCsv(g.input as CsvRecord[], (g.options?.leading as string[]) ?? []).text.split('\n');
  }
}

describe('plan goldens (test/fixtures/plan)', () => {
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const path = join(dir, file);
    const golden = JSON.parse(readFileSync(path, 'utf8')) as Golden;
    it(`${file}: ${golden.about}`, () => {
      const actual = JSON.parse(JSON.stringify(run(golden)));
      if (process.env.UPDATE_GOLDEN === '1') {
        writeFileSync(path, `${JSON.stringify({ ...golden, expected: actual }, null, 2)}\n`);
        return;
      }
      expect(golden.expected, `${file} has no expected output: run with UPDATE_GOLDEN=1`).to.not.equal(undefined);
      expect(actual).to.deep.equal(golden.expected);
    });
  }
});

describe('schemas/plan.schema.json', () => {
  it('refuses what a plan must not be: a call without records, an unknown via, a ref that is not an index', () => {
    const good = planDelivery(
      [{ operations: [{ mapping: 'm', object: 'Case', operation: 'create', fields: { Subject: 'x' }, http: [] }] }],
      [],
      { apiVersion: '66.0' },
    );
    expect(planProblem(good)).to.equal(undefined);
    const call = good.waves[0][0];
    expect(planProblem({ ...good, waves: [[{ ...call, records: [] }]] })).to.be.a('string');
    expect(planProblem({ ...good, waves: [[{ ...call, via: 'soap' }]] })).to.be.a('string');
    expect(planProblem({ ...good, decided: [{ ref: -1, outcome: { statusCode: 400 } }] })).to.match(/decided\/0\/ref/);
    expect(
      planProblem({ ...good, lookups: [{ object: 'Lead; DROP', soql: 'SELECT Id FROM Lead', refs: [0] }] }),
    ).to.match(/lookups\/0\/object/);
  });
});
