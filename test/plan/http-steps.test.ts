// /transform's `http` descriptors are the planner's plan for one operation: for every way an
// operation can reach its record and every lookup answer, the request the descriptor says to send
// is the write /proxy's plan makes for the same operation and answer (same kind, object, record,
// body), or neither writes (a sync-mode skip, or NOT_FOUND), and the descriptor's lookup carries
// the same typed literals as the batched query.
import { expect } from 'chai';
import type { HttpStep, Operation } from '../../src/operation/operation.js';
import { planDelivery } from '../../src/plan/delivery-planner.js';
import { checkHttpSteps, httpSteps } from '../../src/plan/http-steps.js';
import type { FoundRecord } from '../../src/plan/lookup-resolve.js';
import type { WriteIntent } from '../../src/plan/record-merge.js';
import { loadObjectCatalog } from '../../src/salesforce/object-catalog.js';

const V = '66.0';
const catalog = loadObjectCatalog();
const LEAD = '00Q000000000001AAA';
const CONTACT = '003000000000001AAA';

const op = (o: Partial<Operation> & Pick<Operation, 'object' | 'operation'>): Operation => ({
  mapping: 'm',
  fields: { LastName: 'L' },
  ...o,
});

const cases: Array<[string, Operation]> = [
  [
    'upsert by a matcher',
    op({ object: 'Lead', operation: 'upsert', match: { operator: 'OR', fields: { Email: 'a@x.io' } } }),
  ],
  [
    'upsert by a matcher with create-only fields',
    op({
      object: 'Lead',
      operation: 'upsert',
      match: { operator: 'OR', fields: { Email: 'a@x.io' } },
      createFields: { Company: 'n/a' },
    }),
  ],
  [
    'upsert that follows a converted lead',
    op({
      object: 'Lead',
      operation: 'upsert',
      match: { operator: 'OR', fields: { Email: 'a@x.io' } },
      followConvertedLead: true,
      follow: { when: 'IsConverted', idField: 'ConvertedContactId', object: 'Contact', fields: { Title: 'CEO' } },
    }),
  ],
  [
    'update by two AND-ed matchers',
    op({
      object: 'Contact',
      operation: 'update',
      match: { operator: 'AND', fields: { Email: 'a@x.io', LastName: 'L' } },
    }),
  ],
  [
    'update by a date matcher (typed literal)',
    op({ object: 'Contact', operation: 'update', match: { operator: 'OR', fields: { Birthdate: '1815-12-10' } } }),
  ],
  [
    'delete by a matcher',
    op({ object: 'Contact', operation: 'delete', fields: {}, match: { operator: 'OR', fields: { Email: 'a@x.io' } } }),
  ],
  ['update by Id', op({ object: 'Contact', operation: 'update', recordId: CONTACT })],
  ['delete by Id', op({ object: 'Contact', operation: 'delete', fields: {}, recordId: CONTACT })],
  ['create', op({ object: 'Lead', operation: 'create', createFields: { Company: 'n/a' } })],
  [
    'native upsert by external id',
    op({ object: 'Contact', operation: 'upsert', externalId: { field: 'Ext__c', value: 'k-1' } }),
  ],
  // Before the descriptors came from the planner, these two were described as native upserts
  // (a PATCH that creates when nothing matches, and drops create-only fields) while /proxy looked
  // the record up.
  [
    'update by external id',
    op({ object: 'Contact', operation: 'update', externalId: { field: 'Ext__c', value: 'k-1' } }),
  ],
  [
    'upsert by external id with create-only fields',
    op({
      object: 'Contact',
      operation: 'upsert',
      externalId: { field: 'Ext__c', value: 'k-1' },
      createFields: { LeadSource: 'Web' },
    }),
  ],
  // Segment's sync modes: a skip branch is no step in the descriptor and a skip (200) in the plan.
  [
    'sync mode add: create with a matcher',
    op({
      object: 'Lead',
      operation: 'create',
      match: { operator: 'OR', fields: { Email: 'a@x.io' } },
      createFields: { Company: 'n/a' },
    }),
  ],
  [
    'update by a matcher, whenNotFound: skip',
    op({
      object: 'Contact',
      operation: 'update',
      match: { operator: 'OR', fields: { Email: 'a@x.io' } },
      whenNotFound: 'skip',
    }),
  ],
  [
    'delete by external id, whenNotFound: skip',
    op({
      object: 'Contact',
      operation: 'delete',
      fields: {},
      externalId: { field: 'Ext__c', value: 'k-1' },
      whenNotFound: 'skip',
    }),
  ],
];

/** What the plan decides for an answer that writes nothing: a skip's code, or the failure's. */
const nothingWritten = (o: Operation, answer: Answer): string =>
  answer !== 'notFound' ? 'RECORD_EXISTS' : o.whenNotFound === 'skip' ? 'NO_RECORD' : 'NOT_FOUND';

type Answer = 'found' | 'foundConverted' | 'notFound';

/** The record a lookup finds for `o` (carrying its matched values, as the batched query selects them). */
function foundRecord(o: Operation, answer: Answer): FoundRecord[] {
  if (answer === 'notFound') return [];
  const fields = o.match?.fields ?? (o.externalId ? { [o.externalId.field]: o.externalId.value } : {});
  const record: FoundRecord = { Id: LEAD, ...fields };
  if (o.follow)
    Object.assign(record, {
      [o.follow.when]: answer === 'foundConverted',
      [o.follow.idField]: answer === 'foundConverted' ? CONTACT : null,
    });
  return [record];
}

/** The descriptor step a caller sends for `answer`, its `{Field}` placeholders filled from the found record. */
function descriptorStep(steps: HttpStep[], answer: Answer, record: FoundRecord | undefined): HttpStep | undefined {
  const writes = steps.filter((s) => s.step !== 'lookup');
  const chosen =
    writes.find((s) => s.when === answer) ??
    (answer === 'foundConverted' ? writes.find((s) => s.when === 'found') : undefined) ??
    writes.find((s) => s.when === undefined);
  if (!chosen) return undefined;
  return { ...chosen, path: chosen.path.replace(/\{(\w+)\}/, (_, f: string) => String(record?.[f])) };
}

/** The REST call that makes the plan's write on its own. */
function asRest(w: WriteIntent): { step: string; method: string; path: string; body?: unknown } {
  const base = `/services/data/v${V}/sobjects/${w.object}`;
  switch (w.kind) {
    case 'create':
      return { step: 'create', method: 'POST', path: base, body: { ...w.createFields, ...w.fields } };
    case 'update':
      return { step: 'update', method: 'PATCH', path: `${base}/${w.id}`, body: w.fields };
    case 'delete':
      return { step: 'delete', method: 'DELETE', path: `${base}/${w.id}` };
    case 'upsert':
      return {
        step: 'upsert',
        method: 'PATCH',
        path: `${base}/${w.externalId?.field}/${w.externalId?.value}`,
        body: w.fields,
      };
  }
}

describe("/transform's http descriptors = the planner's plan for one operation", () => {
  for (const [name, o] of cases) {
    it(name, () => {
      const steps = httpSteps(o, V, catalog.get(o.object));
      const lookup = steps.find((s) => s.step === 'lookup');
      const answers: Answer[] = lookup ? ['found', 'foundConverted', 'notFound'] : ['found'];
      for (const answer of answers) {
        const records = foundRecord(o, answer);
        const plan = planDelivery([{ operations: [o] }], lookup ? [records] : [], { apiVersion: V, catalog });
        expect(plan.lookups.length, `${answer}: a lookup in both or neither`).to.equal(lookup ? 1 : 0);
        const step = descriptorStep(steps, answer, records[0]);
        const write = plan.writes[0];
        if (!write) {
          expect(step, `${answer}: the plan writes nothing, nor does the descriptor`).to.equal(undefined);
          expect(plan.decided.map((d) => d.outcome.skip?.code ?? d.outcome.errorCode)).to.deep.equal([
            nothingWritten(o, answer),
          ]);
          continue;
        }
        const { query, when, ...sent } = step as HttpStep;
        expect(query).to.equal(undefined);
        expect(when === undefined || when === answer || (answer === 'foundConverted' && when === 'found')).to.equal(
          true,
        );
        expect(sent, answer).to.deep.equal(asRest(write));
      }
      if (lookup) {
        // Same conditions, same typed literals: `F = x` on its own is `F IN (x)` in the batch.
        const batched = planDelivery([{ operations: [o] }], [[]], { apiVersion: V, catalog }).lookups[0].soql;
        const where = (lookup.query?.q ?? '').replace(/^.* WHERE /, '').replace(/ LIMIT 2$/, '');
        const single = where.split(/ (?:AND|OR) /).map((c) => c.replace(/^\(|\)$/g, ''));
        for (const c of single) {
          const [field, literal] = c.split(' = ');
          expect(batched).to.satisfy(
            (q: string) => q.includes(`${field} IN (${literal})`) || q.includes(`${field} = ${literal}`),
            `${c} in ${batched}`,
          );
        }
      }
    });
  }

  it('sync mode add: several records found is a skip naming the first, and the descriptor writes only when none is', () => {
    const o = cases.find(([n]) => n.startsWith('sync mode add'))?.[1] as Operation;
    expect(httpSteps(o, V, catalog.get('Lead')).map((s) => [s.step, s.when])).to.deep.equal([
      ['lookup', undefined],
      ['create', 'notFound'],
    ]);
    const plan = planDelivery(
      [{ operations: [o] }],
      [
        [
          { Id: LEAD, Email: 'a@x.io' },
          { Id: '00Q000000000002AAA', Email: 'a@x.io' },
        ],
      ],
      { apiVersion: V, catalog },
    );
    expect(plan.writes[0]).to.equal(null);
    expect(plan.decided[0].outcome.skip).to.include({ code: 'RECORD_EXISTS', id: LEAD });
    // Not found: the create is marked add-only, so a later twin in the batch skips the record it makes.
    const created = planDelivery([{ operations: [o] }], [[]], { apiVersion: V, catalog }).writes[0];
    expect(created).to.include({ kind: 'create', addOnly: true });
  });

  it('the date matcher of the issue: bare in both forms', () => {
    const o = cases.find(([n]) => n.startsWith('update by a date'))?.[1] as Operation;
    expect(httpSteps(o, V, catalog.get('Contact'))[0].query?.q).to.equal(
      'SELECT Id FROM Contact WHERE Birthdate = 1815-12-10 LIMIT 2',
    );
    expect(planDelivery([{ operations: [o] }], [[]], { apiVersion: V, catalog }).lookups[0].soql).to.include(
      'Birthdate IN (1815-12-10)',
    );
  });

  // The compact /transform answer does not write `http` but must refuse the same operations with the
  // same errors (build-operation.ts turns the message into the event's 400): checkHttpSteps has to
  // agree with httpSteps on every operation, hostile ones included.
  describe('checkHttpSteps refuses exactly what httpSteps refuses', () => {
    const long = `A${'b'.repeat(300)}__c`;
    const leadFollowing = (idField: string, object: string) =>
      op({
        object: 'Lead',
        operation: 'upsert',
        match: { operator: 'OR', fields: { Email: 'a@x.io' } },
        follow: { when: 'IsConverted', idField, object, fields: {} },
      });
    const hostile: Array<[string, Operation, string?]> = [
      [
        'a date matcher that is no date',
        op({
          object: 'Contact',
          operation: 'delete',
          fields: {},
          match: { operator: 'OR', fields: { Birthdate: 'not-a-date' } },
        }),
      ],
      [
        'a datetime matcher past year 9999',
        op({
          object: 'Lead',
          operation: 'update',
          match: { operator: 'OR', fields: { LastModifiedDate: '+010000-01-01T04:00:00.000Z' } },
        }),
      ],
      [
        'a number matcher that is no number',
        op({
          object: 'Lead',
          operation: 'delete',
          fields: {},
          match: { operator: 'OR', fields: { NumberOfEmployees: 'many' } },
        }),
      ],
      [
        'a boolean matcher that is no boolean',
        op({ object: 'Contact', operation: 'update', match: { operator: 'OR', fields: { DoNotCall: 'maybe' } } }),
      ],
      [
        'a matcher name carrying SOQL',
        op({ object: 'Contact', operation: 'update', match: { operator: 'OR', fields: { 'Email OR Id': 'x' } } }),
      ],
      ['an object name that is no API name', op({ object: 'Bad-Name', operation: 'create' })],
      [
        'an object name longer than Salesforce allows',
        op({ object: long, operation: 'upsert', match: { operator: 'OR', fields: { Email: 'a@x.io' } } }),
      ],
      ['an update with no way to find its record', op({ object: 'Contact', operation: 'update' })],
      [
        'a native upsert keyed by ..',
        op({ object: 'Contact', operation: 'upsert', externalId: { field: 'Ext__c', value: '..' } }),
      ],
      [
        'an external id field that is no API name',
        op({ object: 'Contact', operation: 'upsert', externalId: { field: 'Ext c', value: 'k' } }),
      ],
      ['a record Id that is no Id', op({ object: 'Contact', operation: 'update', recordId: 'not/an/id' })],
      ['a follow whose Id field is a path', leadFollowing('Converted.Id', 'Contact')],
      ['a follow to an object that is no API name', leadFollowing('ConvertedContactId', 'Con tact')],
      ['an API version that is none', op({ object: 'Contact', operation: 'update', recordId: CONTACT }), '9.0'],
    ];
    const verdict = (f: () => unknown): string => {
      try {
        f();
        return 'accepted';
      } catch (err) {
        return `refused: ${(err as Error).message}`;
      }
    };
    for (const [name, o, version] of [...cases, ...hostile]) {
      it(name, () => {
        const full = verdict(() => httpSteps(o, version ?? V, catalog.get(o.object)));
        expect(verdict(() => checkHttpSteps(o, version ?? V, catalog.get(o.object)))).to.equal(full);
        // The corpus is what it says: the shipped-style cases pass, every hostile one is refused.
        expect(full.startsWith('refused'), full).to.equal(hostile.some(([n]) => n === name));
      });
    }
  });
});
