// schemas/operation.schema.json is the /transform → /proxy contract: every operation the golden
// fixtures pin satisfies it, and malformed ones are refused with the place named.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { operationProblem } from '../../src/operation/validate-operation.js';

const dir = fileURLToPath(new URL('../fixtures/transform/', import.meta.url));

describe('operation schema', () => {
  it('accepts every operation the golden fixtures expect from /transform', () => {
    let count = 0;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.expected.json'))) {
      for (const r of JSON.parse(readFileSync(dir + f, 'utf8')) as Array<{ output?: unknown[] }>) {
        for (const op of r.output ?? []) {
          expect(operationProblem(op), `${f}: ${JSON.stringify(op).slice(0, 200)}`).to.equal(undefined);
          count++;
        }
      }
    }
    expect(count).to.be.greaterThan(90);
  });

  const base = {
    object: 'Lead',
    operation: 'upsert',
    match: { operator: 'OR', fields: { Email: 'a@b.c' } },
    fields: { LastName: 'L' },
  };
  const cases: [string, unknown, RegExp][] = [
    ['an object name that is a path', { ...base, object: 'Lead/../Account' }, /^object: must match/],
    [
      'an unknown operation',
      { ...base, operation: 'merge' },
      /^operation: must be one of create, update, upsert, delete/,
    ],
    [
      'a matcher value that is an object',
      { ...base, match: { operator: 'OR', fields: { Email: { $ne: 1 } } } },
      /^match\.fields\.Email: must be string,number,boolean,null/,
    ],
    [
      'a field name that is not an API name',
      { ...base, fields: { 'Last Name': 'L' } },
      /^fields: "Last Name" is not a Salesforce API name/,
    ],
    [
      'an update with no way to find its record',
      { object: 'Lead', operation: 'update', fields: { LastName: 'L' } },
      /need "recordId", "match" or "externalId"/,
    ],
    [
      'a record Id of the wrong shape',
      { object: 'Lead', operation: 'update', recordId: 'abc', fields: {} },
      /^recordId: must match/,
    ],
    ['no fields', { object: 'Lead', operation: 'create' }, /missing "fields"/],
  ];
  for (const [what, op, message] of cases) {
    it(`refuses ${what}`, () => expect(operationProblem(op)).to.match(message));
  }
});
