// Direct mode's short way (src/rudder/direct-writes.ts) must answer every job exactly as the general
// way (the executor over a recording client) does: the same requests, byte for byte, for the jobs
// it takes, and it must leave to the general way every group it cannot answer alone. Each case runs
// both ways over the same jobs against one emulated org (which has Lead_Score__c, not foo__c).
import { expect } from 'chai';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import type { Operation } from '../../src/operation/operation.js';
import { deliveryDepsFromEnv, type DeliveryDeps } from '../../src/rudder/destination-access.js';
import { directAnswers } from '../../src/rudder/direct-requests.js';
import { directWrites } from '../../src/rudder/direct-writes.js';
import type { JobAnswer } from '../../src/rudder/job-answer.js';
import type { MappedJob } from '../../src/rudder/mapped-job.js';

const LEAD = '00Q000000000001EAA';
const LEAD_2 = '00Q000000000002EAA';

const op = (o: Partial<Operation> & Pick<Operation, 'object' | 'operation'>): Operation => ({
  mapping: 'test',
  fields: {},
  ...o,
});
const updateLead = (id: string, fields: Operation['fields'] = { LastName: 'Lovelace' }): Operation =>
  op({ object: 'Lead', operation: 'update', recordId: id, fields });
const upsertContact = (value: string, fields: Operation['fields'] = { LastName: 'Byron' }): Operation =>
  op({ object: 'Contact', operation: 'upsert', externalId: { field: 'External_Id__c', value }, fields });

interface Job {
  ops: Operation[];
  /** destination.Config (default {}). */
  config?: Record<string, unknown>;
  /** Which of the two sessions the job's metadata carries (default a). */
  secret?: 'a' | 'b';
  userId?: unknown;
}

interface Case {
  name: string;
  jobs: Job[];
  /** Whether the short way takes the jobs of session a (and of session b, when there are any). */
  short: boolean | [boolean, boolean];
}

const HOSTILE = 'a "quoted" \\ back\nslash \u2028 é 😀 \ud800 </script>';

const CASES: Case[] = [
  {
    name: 'Lead updates by Id, custom fields known and unknown',
    jobs: [
      { ops: [updateLead(LEAD, { LastName: 'A', Lead_Score__c: 3, foo__c: 'x', Email: 'a@example.com' })] },
      { ops: [updateLead(LEAD_2, { foo__c: 'only unknown' })] },
    ],
    short: true,
  },
  {
    name: 'the same with one strict destination (unknownFields: fail keeps foo__c)',
    jobs: [
      { ops: [updateLead(LEAD, { LastName: 'A', foo__c: 'x' })], config: { unknownFields: 'fail' } },
      { ops: [updateLead(LEAD_2, { LastName: 'B', foo__c: 'y' })] },
    ],
    short: true,
  },
  {
    name: 'upserts by external id with values a URL must encode, hostile field values',
    jobs: [
      { ops: [upsertContact('a/b?c#d%e', { LastName: HOSTILE, Description: null })] },
      { ops: [upsertContact('ünï cødé 😀', { LastName: 'x'.repeat(300), Title: 12.5, HasOptedOutOfEmail: true })] },
      { ops: [upsertContact('  spaces  ', { LastName: '' })] },
    ],
    short: true,
  },
  {
    name: 'a field named like the key its URL carries is left out of the body',
    jobs: [
      { ops: [updateLead(LEAD, { id: 'ignored', LastName: 'A' })] },
      { ops: [upsertContact('k1', { External_Id__c: 'k1', LastName: 'B' })] },
    ],
    short: true,
  },
  {
    name: 'creates (with and without create-only fields), a delete, a Bulk rule',
    jobs: [
      {
        ops: [
          op({
            object: 'Lead',
            operation: 'create',
            fields: { LastName: 'New', Company: 'C' },
            createFields: { LeadSource: 'Web', LastName: 'default', foo__c: 1 },
          }),
        ],
      },
      { ops: [op({ object: 'Lead', operation: 'create', fields: { LastName: 'Other', Company: 'D', foo__c: 2 } })] },
      { ops: [op({ object: 'Lead', operation: 'delete', recordId: LEAD })] },
      { ops: [{ ...updateLead(LEAD_2), bulk: true }] },
      { ops: [updateLead('00Q000000000003EAA')], userId: 'user-7' },
    ],
    short: true,
  },
  {
    name: 'two updates of one record (15- and 18-character Id): merged, the general way',
    jobs: [{ ops: [updateLead(LEAD, { LastName: 'A' })] }, { ops: [updateLead(LEAD.slice(0, 15), { Title: 'T' })] }],
    short: false,
  },
  {
    name: 'external ids equal but for case: never in one call, the general way',
    jobs: [{ ops: [upsertContact('Key-1')] }, { ops: [upsertContact('key-1')] }],
    short: false,
  },
  {
    name: 'an external id a URL path cannot carry',
    jobs: [{ ops: [upsertContact('ok')] }, { ops: [upsertContact('..')] }],
    short: false,
  },
  {
    name: 'a malformed record Id',
    jobs: [{ ops: [updateLead(LEAD)] }, { ops: [updateLead('00Q-not-an-id')] }],
    short: false,
  },
  {
    name: 'a field named attributes',
    jobs: [{ ops: [updateLead(LEAD, { attributes: 'x', LastName: 'A' })] }],
    short: false,
  },
  {
    name: 'field names that are not API names',
    jobs: [
      { ops: [updateLead(LEAD, JSON.parse('{"__proto__": "x", "LastName": "A"}') as Operation['fields'])] },
      { ops: [updateLead(LEAD_2, { 'bad name__c': 'x' })] },
    ],
    short: false,
  },
  {
    name: 'a job of two operations',
    jobs: [{ ops: [updateLead(LEAD)] }, { ops: [updateLead(LEAD_2), upsertContact('two')] }],
    short: false,
  },
  {
    name: 'a job that needs a lookup',
    jobs: [
      { ops: [updateLead(LEAD)] },
      {
        ops: [
          op({
            object: 'Lead',
            operation: 'upsert',
            match: { operator: 'OR', fields: { Email: 'nobody@example.com' } },
            fields: { LastName: 'L', Company: 'C' },
          }),
        ],
      },
    ],
    short: false,
  },
  {
    name: 'two sessions in one call: one group takes the short way, the other (a shared record) does not',
    jobs: [
      { ops: [updateLead(LEAD, { LastName: 'A', foo__c: 1 })] },
      { ops: [updateLead(LEAD, { LastName: 'B' })], secret: 'b' },
      { ops: [upsertContact('c1')], config: { unknownFields: 'fail' } },
      { ops: [updateLead(LEAD, { Title: 'C' })], secret: 'b' },
    ],
    short: [true, false],
  },
];

describe('direct mode: the short way for jobs that need no lookup', function () {
  let emulator: RunningEmulator;
  let deps: DeliveryDeps;
  let secrets: Record<'a' | 'b', { access_token: string; instance_url: string }>;
  before(async () => {
    emulator = await startEmulator();
    deps = deliveryDepsFromEnv({ ALLOWED_SALESFORCE_HOSTS: '127.0.0.1' });
    const session = () => {
      const t = emulator.state.issueToken();
      return { access_token: t.access_token, instance_url: t.instance_url };
    };
    secrets = { a: session(), b: session() };
  });
  after(() => emulator?.close());

  const mappedJobs = (jobs: Job[]): MappedJob[] =>
    jobs.map((j, index) => ({
      index,
      operations: j.ops,
      job: {
        message: {},
        metadata: { jobId: 100 + index, userId: j.userId, secret: secrets[j.secret ?? 'a'] },
        destination: { ID: 'dest-1', Config: j.config ?? {}, DestinationDefinition: { Name: 'SALESFORCE_OAUTH' } },
      },
    }));
  // Byte for byte, in the order the route answers (by job).
  const text = (answers: JobAnswer[]): string =>
    JSON.stringify([...answers].sort((x, y) => Math.min(...x.jobs) - Math.min(...y.jobs)));

  for (const c of CASES) {
    it(c.name, async () => {
      const mapped = mappedJobs(c.jobs);
      const expected = Array.isArray(c.short) ? c.short : [c.short];
      ['a', 'b'].forEach((s, k) => {
        const members = mapped.filter((m) => (c.jobs[m.index].secret ?? 'a') === s);
        if (members.length > 0)
          expect(directWrites(members, '66.0') !== undefined, `short way for session ${s}`).to.equal(expected[k]);
      });
      const general = await directAnswers(mapped, deps, { shortWay: false });
      const short = await directAnswers(mapped, deps);
      expect(text(short)).to.equal(text(general));
      expect(general.flatMap((a) => a.jobs).sort(), 'every job answered once').to.deep.equal(
        mapped.map((m) => m.index),
      );
    });
  }

  it('leaves out what the org lacks, keeps what a strict destination asks for (the bodies themselves)', async () => {
    const mapped = mappedJobs(CASES[1].jobs);
    const answers = await directAnswers(mapped, deps);
    const bodies = answers
      .sort((x, y) => x.jobs[0] - y.jobs[0])
      .map((a) => (a.kind === 'requests' ? a.requests[0].body.JSON : a.error));
    expect(bodies).to.deep.equal([{ LastName: 'A', foo__c: 'x' }, { LastName: 'B' }]);
  });
});
