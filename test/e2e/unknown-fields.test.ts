// Issue 10 item 7: one unknown custom field never loses the record. An identify with `foo__c` (a
// trait the org has no field for) beside good fields: the Lead is written with the good fields
// and the outcome lists `foo__c` as dropped; `unknownFields: fail` fails as Salesforce does. The
// org's fields are learned by describe, once per org and object per TTL, through /transform →
// /proxy → the emulator.
import { expect } from 'chai';
import request from 'supertest';
import { OrgFieldCache } from '../../src/deliver/org-field-cache.js';
import { TokenCache } from '../../src/deliver/token-cache.js';
import { ApiBudgetCounter } from '../../src/shared-state/api-budget.js';
import type { SharedState } from '../../src/shared-state/shared-state.js';
import { identify, startHarness, type Harness } from './harness.js';

const GOOD = {
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  company: 'Analytical',
  title: 'Countess',
  Lead_Score: 7,
};

function describes(h: Harness, object = 'Lead'): number {
  return h.emulator.state.stats.snapshot().byPath[`GET sobjects/${object}/describe`] ?? 0;
}

function sharedWith(fields: OrgFieldCache): SharedState {
  return {
    sessions: new TokenCache(),
    budget: new ApiBudgetCounter({}),
    fields,
    health: () => ({ mode: 'process' }),
    close: async () => undefined,
  };
}

/** A destination whose only rule creates Leads through Bulk API 2.0, with these custom fields. */
function bulkLeadsOnly(h: Harness, custom: Record<string, string>) {
  const rule = {
    name: 'lead-bulk',
    when: 'type = "identify"',
    object: 'Lead',
    operation: 'create',
    bulk: true,
    fields: { LastName: '$traits.lastName', Company: '$traits.company', Email: '$traits.email', ...custom },
  };
  return { Config: { ...h.destination.Config, mappings: [rule], mappingsMode: 'replace' } };
}

describe('e2e: unknown custom fields (issue 10 item 7)', function () {
  this.timeout(20_000);
  let h: Harness;
  afterEach(() => h?.close());

  describe('default: drop', () => {
    beforeEach(async () => {
      h = await startHarness();
    });

    it('writes the Lead with its good fields and lists foo__c as dropped in the outcome', async () => {
      const [out] = await h.deliver([identify({ ...GOOD, foo: 'bar' })]);
      expect(out.statusCode, JSON.stringify(out)).to.equal(200);
      expect(out.results).to.have.length(1);
      expect(out.results![0]).to.include({ object: 'Lead', created: true });
      expect(out.results![0].droppedFields).to.deep.equal(['foo__c']);
      const leads = h.records('Lead');
      expect(leads).to.have.length(1);
      // The org's own custom field is written; only the one it lacks is left out.
      expect(leads[0]).to.include({
        Email: 'ada@example.com',
        FirstName: 'Ada',
        LastName: 'Lovelace',
        Company: 'Analytical',
        Title: 'Countess',
        Lead_Score__c: 7,
      });
      expect(Object.keys(leads[0]).map((k) => k.toLowerCase())).not.to.include('foo__c');
      expect(describes(h)).to.equal(1);
    });

    it('describes once per object: the next events use the cached fields, and events without custom fields never describe', async () => {
      await h.deliver([identify({ email: 'plain@example.com', lastName: 'P', company: 'C' })]);
      expect(describes(h), 'no custom field, no describe').to.equal(0);
      await h.deliver([identify({ ...GOOD, foo: 'one' })]);
      const [again] = await h.deliver([identify({ ...GOOD, foo: 'two', bar: 'x' })]);
      expect(again.statusCode).to.equal(200);
      expect(again.results![0]).to.include({ created: false });
      expect(again.results![0].droppedFields).to.deep.equal(['foo__c', 'bar__c']);
      expect(describes(h)).to.equal(1);
    });

    it('20 concurrent requests with custom fields cause one describe of the object', async () => {
      const items = await h.transform(
        Array.from({ length: 20 }, (_, i) =>
          identify({ email: `c${i}@example.com`, lastName: `L${i}`, company: 'C', foo: i }),
        ),
      );
      const answers = await Promise.all(items.map((item) => request(h.app).post('/proxy').send([item])));
      for (const res of answers) {
        expect(res.status).to.equal(200);
        expect(res.body[0].statusCode, JSON.stringify(res.body[0])).to.equal(200);
        expect(res.body[0].results[0].droppedFields).to.deep.equal(['foo__c']);
      }
      expect(h.records('Lead')).to.have.length(20);
      expect(describes(h)).to.equal(1);
    });

    it('Bulk API 2.0: the job is sent without the unknown column and the outcome lists it', async () => {
      const dest = bulkLeadsOnly(h, { Lead_Score__c: '$traits.score', foo__c: '$traits.foo' });
      const out = await h.deliver(
        [
          identify({ email: 'b1@example.com', lastName: 'B1', company: 'C', score: 1, foo: 'x' }),
          identify({ email: 'b2@example.com', lastName: 'B2', company: 'C', score: 2, foo: 'y' }),
        ],
        dest,
      );
      expect(
        out.map((o) => o.statusCode),
        JSON.stringify(out),
      ).to.deep.equal([200, 200]);
      expect(out.map((o) => o.results![0].droppedFields)).to.deep.equal([['foo__c'], ['foo__c']]);
      expect(h.records('Lead').map((l) => l.Lead_Score__c)).to.have.members([1, 2]);
      expect(h.emulator.state.stats.snapshot().byPath['POST jobs/ingest']).to.equal(1);

      const strict = { Config: { ...dest.Config, unknownFields: 'fail' } };
      const [failed] = await h.deliver(
        [identify({ email: 'b3@example.com', lastName: 'B3', company: 'C', score: 3, foo: 'z' })],
        strict,
      );
      expect(failed.statusCode).to.equal(400);
      expect(failed.error).to.contain('Field name not found : foo__c');
      expect(h.records('Lead')).to.have.length(2);
    });

    it('a field added to the org is still left out while the cached describe is fresh', async () => {
      await h.deliver([identify({ ...GOOD, foo: 'before' })]);
      h.emulator.state.mutations.addField('Lead', { field: { name: 'foo__c', type: 'string', length: 40 } });
      const [out] = await h.deliver([identify({ ...GOOD, foo: 'cached' })]);
      expect(out.results![0].droppedFields).to.deep.equal(['foo__c']);
      expect(describes(h)).to.equal(1);
    });
  });

  describe('strict: unknownFields fail', () => {
    it('destination.Config.unknownFields "fail" fails the write with INVALID_FIELD as before, nothing written, no describe', async () => {
      h = await startHarness();
      const dest = { Config: { ...h.destination.Config, unknownFields: 'fail' } };
      const [out] = await h.deliver([identify({ ...GOOD, foo: 'bar' })], dest);
      expect(out.statusCode).to.equal(400);
      expect(out.errorCode).to.equal('INVALID_FIELD');
      expect(out.error).to.contain("No such column 'foo__c' on sobject of type Lead");
      expect(h.records('Lead')).to.have.length(0);
      expect(describes(h)).to.equal(0);
    });

    it("a strict event's unknown field fails only that event, not its neighbours in the same collections call", async () => {
      h = await startHarness();
      const dest = { Config: { ...h.destination.Config, unknownFields: 'fail' } };
      const out = await h.deliver(
        [
          identify({ email: 'n1@example.com', lastName: 'N1', company: 'C' }),
          identify({ ...GOOD, foo: 'bar' }),
          identify({ email: 'n2@example.com', lastName: 'N2', company: 'C', Lead_Score: 2 }),
        ],
        dest,
      );
      expect(
        out.map((o) => o.statusCode),
        JSON.stringify(out),
      ).to.deep.equal([200, 400, 200]);
      expect(out[1].errorCode).to.equal('INVALID_FIELD');
      expect(h.records('Lead').map((l) => l.Email)).to.have.members(['n1@example.com', 'n2@example.com']);
      expect(describes(h)).to.equal(0);
    });

    it('SALESFORCE_UNKNOWN_FIELDS=fail makes it the server default; a destination may still say drop', async () => {
      h = await startHarness({ env: { SALESFORCE_UNKNOWN_FIELDS: 'fail' } });
      const [strict] = await h.deliver([identify({ ...GOOD, foo: 'bar' })]);
      expect(strict.errorCode).to.equal('INVALID_FIELD');
      const [dropped] = await h.deliver([identify({ ...GOOD, foo: 'bar' })], {
        Config: { ...h.destination.Config, unknownFields: 'drop' },
      });
      expect(dropped.statusCode).to.equal(200);
      expect(dropped.results![0].droppedFields).to.deep.equal(['foo__c']);
    });

    it('an unknown setting value is refused for that item (400 INVALID_CONFIG), nothing sent', async () => {
      h = await startHarness();
      const items = await h.transform([identify({ ...GOOD, foo: 'bar' })]);
      const [out] = await h.proxy(
        items.map((i) => ({ ...i, destination: { Config: { ...h.destination.Config, unknownFields: 'ignore' } } })),
      );
      expect(out.statusCode).to.equal(400);
      expect(out.errorCode).to.equal('INVALID_CONFIG');
      expect(out.error).to.contain('destination.Config.unknownFields');
      expect(h.emulator.state.stats.snapshot().apiCalls).to.equal(0);
    });
  });

  describe('the org changes', () => {
    it('a field added at runtime is written once the cached describe expires', async () => {
      h = await startHarness({ env: { SALESFORCE_DESCRIBE_TTL_SECONDS: '0.5' } });
      const [first] = await h.deliver([identify({ ...GOOD, foo: 'before' })]);
      expect(first.results![0].droppedFields).to.deep.equal(['foo__c']);
      h.emulator.state.mutations.addField('Lead', { field: { name: 'foo__c', type: 'string', length: 40 } });
      await new Promise((r) => setTimeout(r, 700));
      const [after] = await h.deliver([identify({ ...GOOD, foo: 'after' })]);
      expect(after.statusCode, JSON.stringify(after)).to.equal(200);
      expect(after.results![0].droppedFields).to.equal(undefined);
      expect(h.records('Lead')[0]).to.include({ foo__c: 'after' });
      expect(describes(h)).to.equal(2);
    });

    it('a field deleted since the describe: INVALID_FIELD refreshes the fields and only the refused writes are sent again', async () => {
      h = await startHarness({ shared: sharedWith(new OrgFieldCache({ minRefreshMs: 0 })) });
      h.emulator.state.mutations.addField('Lead', { field: { name: 'Old__c', type: 'string', length: 40 } });
      const [contact] = h.emulator.state.seed('Contact', [{ LastName: 'Babbage' }]);
      const [first] = await h.deliver([
        identify({ email: 'first@example.com', lastName: 'F', company: 'C', Old: 'kept' }),
      ]);
      expect(first.results![0].droppedFields).to.equal(undefined);
      expect(describes(h)).to.equal(1);
      h.emulator.state.mutations.removeField('Lead', 'Old__c');

      // One event writes two records: the Lead (with Old__c, refused as a whole collections call)
      // and a Contact update in its own call, which succeeds and must not be sent twice.
      const contactRule = {
        name: 'contact-title',
        when: 'type = "identify" and $exists(traits.contactId)',
        object: 'Contact',
        operation: 'update',
        recordId: '$traits.contactId',
        fields: { Title: '$traits.title' },
      };
      const dest = { Config: { ...h.destination.Config, mappings: [contactRule] } };
      const before = h.emulator.state.stats.snapshot().byPath;
      const out = await h.deliver(
        [
          identify({
            email: 'second@example.com',
            lastName: 'S',
            company: 'C',
            Old: 'gone',
            contactId: contact.Id,
            title: 'Engineer',
          }),
          identify({ email: 'third@example.com', lastName: 'T', company: 'C' }),
        ],
        dest,
      );
      expect(
        out.map((o) => o.statusCode),
        JSON.stringify(out),
      ).to.deep.equal([200, 200]);
      const lead = out[0].results!.find((r) => r.object === 'Lead');
      expect(lead?.droppedFields).to.include('Old__c');
      expect(out[0].results!.find((r) => r.object === 'Contact')).to.deep.include({ id: contact.Id, created: false });
      const after = h.emulator.state.stats.snapshot().byPath;
      expect(describes(h)).to.equal(2);
      expect(
        (after['PATCH composite/sobjects'] ?? 0) - (before['PATCH composite/sobjects'] ?? 0),
        'the Contact update is sent once',
      ).to.equal(1);
      expect(
        (after['POST composite/sobjects'] ?? 0) - (before['POST composite/sobjects'] ?? 0),
        'the refused create, then the retry',
      ).to.equal(2);
      expect(h.records('Lead').map((l) => l.Email)).to.have.members([
        'first@example.com',
        'second@example.com',
        'third@example.com',
      ]);
      expect(h.emulator.state.get('Contact', contact.Id)).to.include({ Title: 'Engineer' });
    });

    it('Bulk: a job refused for a field deleted since the describe is sent again without it, once', async () => {
      h = await startHarness({ shared: sharedWith(new OrgFieldCache({ minRefreshMs: 0 })) });
      h.emulator.state.mutations.addField('Lead', { field: { name: 'Old__c', type: 'string', length: 40 } });
      const dest = bulkLeadsOnly(h, { Old__c: '$traits.old' });
      const [first] = await h.deliver(
        [identify({ email: 'k1@example.com', lastName: 'K1', company: 'C', old: 'a' })],
        dest,
      );
      expect(first.results![0].droppedFields).to.equal(undefined);
      h.emulator.state.mutations.removeField('Lead', 'Old__c');
      const out = await h.deliver(
        [
          identify({ email: 'k2@example.com', lastName: 'K2', company: 'C', old: 'b' }),
          identify({ email: 'k3@example.com', lastName: 'K3', company: 'C' }),
        ],
        dest,
      );
      expect(
        out.map((o) => o.statusCode),
        JSON.stringify(out),
      ).to.deep.equal([200, 200]);
      expect(out[0].results![0].droppedFields).to.deep.equal(['Old__c']);
      expect(h.records('Lead').map((l) => l.Email)).to.have.members([
        'k1@example.com',
        'k2@example.com',
        'k3@example.com',
      ]);
      expect(
        h.emulator.state.stats.snapshot().byPath['POST jobs/ingest'],
        'the first job, the refused one, the retry',
      ).to.equal(3);
      expect(describes(h)).to.equal(2);
    });
  });
});
