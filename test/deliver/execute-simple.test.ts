// The executor's single-event behaviour against a tiny scripted client: which calls it makes and
// what outcome each event gets.
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

describe('executeEvents: one event', () => {
  it('creates a lead when none matches, with the create-only defaults', async () => {
    const client = scripted([
      () => json(200, { totalSize: 0, done: true, records: [] }),
      () => json(200, [{ id: '00Q000000000001AAA', success: true, errors: [] }]),
    ]);
    const [out] = await executeEvents([{ operations: [leadOp("o'hara@example.com")] }], client);
    expect(out.statusCode).to.equal(200);
    expect(out.results).to.deep.equal([{ object: 'Lead', id: '00Q000000000001AAA', created: true }]);
    expect(client.calls).to.have.length(2);
    expect(client.calls[0].query?.q).to.contain("Email IN ('o\\'hara@example.com')");
    expect(client.calls[0].query?.q).to.contain('IsConverted');
    expect(client.calls[1].path).to.match(/composite\/sobjects$/);
    expect(client.calls[1].body).to.deep.equal({
      allOrNone: false,
      records: [{ attributes: { type: 'Lead' }, LastName: 'n/a', Company: 'n/a', Email: "o'hara@example.com", FirstName: 'Ada' }],
    });
  });

  it('updates a converted lead\'s contact instead', async () => {
    const client = scripted([
      () => json(200, { totalSize: 1, done: true, records: [{ Id: '00Q000000000001AAA', Email: 'A@example.com', IsConverted: true, ConvertedContactId: '003000000000001AAA' }] }),
      () => json(200, [{ id: '003000000000001AAA', success: true, errors: [] }]),
    ]);
    const [out] = await executeEvents([{ operations: [leadOp('a@example.com')] }], client);
    expect(out).to.deep.include({ statusCode: 200 });
    expect(client.calls[1].method).to.equal('PATCH');
    expect(client.calls[1].body).to.deep.equal({
      allOrNone: false,
      records: [{ attributes: { type: 'Contact' }, Email: 'a@example.com', id: '003000000000001AAA' }],
    });
    expect(out.results).to.deep.equal([{ object: 'Contact', id: '003000000000001AAA', created: false }]);
  });

  it('aborts without writing when several records match', async () => {
    const client = scripted([
      () => json(200, { totalSize: 2, done: true, records: [{ Id: '00Q000000000001AAA', Email: 'a@example.com' }, { Id: '00Q000000000002AAA', Email: 'A@EXAMPLE.COM' }] }),
    ]);
    const [out] = await executeEvents([{ operations: [leadOp('a@example.com')] }], client);
    expect(out.statusCode).to.equal(400);
    expect(out.error).to.match(/^2 Lead records match with .*; nothing was written$/);
    expect(client.calls).to.have.length(1);
  });

  it('upserts natively by external id through collections', async () => {
    const client = scripted([() => json(200, [{ id: '003000000000009AAA', success: true, created: true, errors: [] }])]);
    const op: Operation = {
      mapping: 'c', object: 'Contact', operation: 'upsert', externalId: { field: 'Ext__c', value: 'a/b c' },
      fields: { LastName: 'X' }, http: [],
    };
    const [out] = await executeEvents([{ operations: [op] }], client);
    expect(out.statusCode).to.equal(200);
    expect(client.calls[0].path).to.match(/composite\/sobjects\/Contact\/Ext__c$/);
    expect(client.calls[0].body).to.deep.equal({ allOrNone: false, records: [{ attributes: { type: 'Contact' }, LastName: 'X', Ext__c: 'a/b c' }] });
    expect(out.results).to.deep.equal([{ object: 'Contact', id: '003000000000009AAA', created: true }]);
  });
});
