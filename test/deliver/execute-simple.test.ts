// The executor as an interpreter, against a tiny scripted client: it sends the Plan's calls in
// order, pages the lookups, and gives each event the outcome its own record's answer says. What the
// calls contain (SOQL, bodies, paths) is the planner's and is shown by the plan goldens
// (test/fixtures/plan/delivery-new-lead-and-native-upsert.json, delivery-lead-upserts.json).
import { expect } from 'chai';
import { executeEvents } from '../../src/deliver/execute.js';
import type { SalesforceClient, SfRequest, SfResponse } from '../../src/deliver/salesforce-client.js';
import type { Operation } from '../../src/operation/operation.js';

function scripted(answers: Array<(req: SfRequest) => SfResponse>): SalesforceClient & { calls: SfRequest[] } {
  const calls: SfRequest[] = [];
  return {
    calls,
    apiVersion: '66.0',
    instanceUrl: 'http://127.0.0.1',
    async request(req) {
      calls.push(req);
      const next = answers.shift();
      if (!next) throw new Error(`unexpected call ${req.method} ${req.path}`);
      return next(req);
    },
  };
}

const json = (status: number, body: unknown): SfResponse => ({ status, headers: {}, body });

const leadOp = (email: string): Operation => ({
  mapping: 'lead',
  object: 'Lead',
  operation: 'upsert',
  match: { operator: 'OR', fields: { Email: email } },
  fields: { Email: email, FirstName: 'Ada' },
  createFields: { LastName: 'n/a', Company: 'n/a' },
  follow: { when: 'IsConverted', idField: 'ConvertedContactId', object: 'Contact', fields: { Email: email } },
  http: [],
});

describe('executeEvents: the interpreter of a Plan', () => {
  it("sends the lookup, then the wave of writes; each event gets its own record's answer", async () => {
    const client = scripted([
      () => json(200, { totalSize: 0, done: true, records: [] }),
      () => json(200, [{ id: '00Q000000000001AAA', success: true, errors: [] }]),
      () => json(200, [{ id: '003000000000009AAA', success: true, created: true, errors: [] }]),
    ]);
    const upsert: Operation = {
      mapping: 'c',
      object: 'Contact',
      operation: 'upsert',
      externalId: { field: 'Ext__c', value: 'a/b c' },
      fields: { LastName: 'X' },
      http: [],
    };
    const out = await executeEvents([{ operations: [leadOp("o'hara@example.com")] }, { operations: [upsert] }], client);
    expect(client.calls.map((c) => `${c.method} ${c.path.replace(/^.*\/v66\.0\//, '')}`)).to.deep.equal([
      'GET query',
      'POST composite/sobjects',
      'PATCH composite/sobjects/Contact/Ext__c',
    ]);
    expect(out.map((o) => o.statusCode)).to.deep.equal([200, 200]);
    expect(out[0].results).to.deep.equal([{ object: 'Lead', id: '00Q000000000001AAA', created: true }]);
    expect(out[1].results).to.deep.equal([{ object: 'Contact', id: '003000000000009AAA', created: true }]);
  });

  it("a converted lead: the write answer is reported as the Contact's update", async () => {
    const client = scripted([
      () =>
        json(200, {
          totalSize: 1,
          done: true,
          records: [
            {
              Id: '00Q000000000001AAA',
              Email: 'A@example.com',
              IsConverted: true,
              ConvertedContactId: '003000000000001AAA',
            },
          ],
        }),
      () => json(200, [{ id: '003000000000001AAA', success: true, errors: [] }]),
    ]);
    const [out] = await executeEvents([{ operations: [leadOp('a@example.com')] }], client);
    expect(out).to.deep.include({ statusCode: 200 });
    expect(client.calls[1].method).to.equal('PATCH');
    expect(out.results).to.deep.equal([{ object: 'Contact', id: '003000000000001AAA', created: false }]);
  });

  it('several records match: only the lookup is sent, and the event is told why', async () => {
    const client = scripted([
      () =>
        json(200, {
          totalSize: 2,
          done: true,
          records: [
            { Id: '00Q000000000001AAA', Email: 'a@example.com' },
            { Id: '00Q000000000002AAA', Email: 'A@EXAMPLE.COM' },
          ],
        }),
    ]);
    const [out] = await executeEvents([{ operations: [leadOp('a@example.com')] }], client);
    expect(out.statusCode).to.equal(400);
    expect(out.error).to.match(/^2 Lead records match with .*; nothing was written$/);
    expect(client.calls).to.have.length(1);
  });

  it('pages a lookup through nextRecordsUrl before deciding: a match on page two is an update, not a create', async () => {
    const client = scripted([
      () =>
        json(200, { totalSize: 1, done: false, nextRecordsUrl: '/services/data/v66.0/query/01g-2000', records: [] }),
      () =>
        json(200, {
          totalSize: 1,
          done: true,
          records: [{ Id: '00Q000000000001AAA', Email: 'a@example.com', IsConverted: false }],
        }),
      () => json(200, [{ id: '00Q000000000001AAA', success: true, errors: [] }]),
    ]);
    const [out] = await executeEvents([{ operations: [leadOp('a@example.com')] }], client);
    expect(client.calls.map((c) => c.path)).to.deep.equal([
      '/services/data/v66.0/query',
      '/services/data/v66.0/query/01g-2000',
      '/services/data/v66.0/composite/sobjects',
    ]);
    expect(out.results).to.deep.equal([{ object: 'Lead', id: '00Q000000000001AAA', created: false }]);
  });
});
