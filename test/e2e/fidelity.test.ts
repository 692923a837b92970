// Issue 10 items 1, 2, 18, 19 end to end: the events a user sends twice must find the record the first one
// created — through /transform → /proxy → the emulated org, single and batched alike.
import { expect } from 'chai';
import type { ObjectDefinition } from '../../src/emulator/emulator.js';
import { identify, startHarness, type Harness } from './harness.js';

const ORG_OBJECTS: ObjectDefinition[] = [{ name: 'Contact', fields: { UserId__c: { type: 'string', length: 64 } } }];

describe('e2e fidelity: no silent duplicates', function () {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ emulator: { objects: ORG_OBJECTS } });
  });
  afterEach(() => h.close());

  // Seed 001 "Upsert Actions": match UserId__c = userId, field mappings traits.email ▶ Email and
  // traits.phone ▶ Phone — written exactly so, with no createDefaults for UserId__c.
  const seedUpsert = {
    name: 'seed001-contact-upsert',
    when: 'type = "identify"',
    object: 'Contact',
    operation: 'upsert',
    match: { UserId__c: 'userId' },
    fields: { Email: '$traits.email', Phone: '$traits.phone' },
    createDefaults: { LastName: "'n/a'" },
  };
  const using = (...mappings: unknown[]) => ({
    Config: { ...h.destination.Config, mappings, mappingsMode: 'replace' },
  });
  const contact = (phone: string) => ({
    type: 'identify',
    userId: 'u-42',
    traits: { email: 'peter.gibbons@example.com', phone },
    integrations: { Salesforce: true },
  });

  it('item 1: the upsert matcher UserId__c is written on create, so later identifies update that Contact (batched and single)', async () => {
    const first = await h.deliver([contact('570-690-4150'), contact('570-690-4151')], using(seedUpsert));
    expect(first.map((o) => o.statusCode)).to.deep.equal([200, 200]);
    expect(h.records('Contact')).to.have.length(1);
    expect(h.records('Contact')[0]).to.include({
      UserId__c: 'u-42',
      Email: 'peter.gibbons@example.com',
      Phone: '570-690-4151',
    });

    const [again] = await h.deliver([contact('570-690-0000')], using(seedUpsert));
    expect(again.statusCode, again.error).to.equal(200);
    expect(again.results![0]).to.include({ object: 'Contact', created: false });
    expect(h.records('Contact')).to.have.length(1);
    expect(h.records('Contact')[0]).to.include({ Phone: '570-690-0000' });
  });

  it('item 2: a 44-character groupId (AccountNumber holds 40) and a 121-character email (Lead.Email holds 80) are looked up as stored: one record each, and the answer warns', async () => {
    const groupId = 'G'.repeat(44);
    const group = { type: 'group', groupId, traits: { name: 'Teemo Industries' }, integrations: { Salesforce: true } };
    const email = `${'a'.repeat(109)}@example.com`;
    expect(email).to.have.length(121);

    const mapped = await h.transform([group]);
    const op = (mapped[0].output as Array<{ match: { fields: Record<string, unknown> }; warnings?: string[] }>)[0];
    expect(op.match.fields.AccountNumber).to.equal('G'.repeat(40));
    expect(op.warnings).to.deep.equal([
      "record matcher AccountNumber: the 44-character value is trimmed to the field's 40 characters, and looked up as stored",
    ]);

    for (let round = 0; round < 2; round++) {
      const out = await h.deliver([group, identify({ email, lastName: 'Long', company: 'Initech' })]);
      expect(
        out.map((o) => o.statusCode),
        JSON.stringify(out),
      ).to.deep.equal([200, 200]);
    }
    expect(h.records('Account').filter((a) => a.Name === 'Teemo Industries')).to.have.length(1);
    expect(h.records('Lead').filter((l) => l.LastName === 'Long')).to.have.length(1);
  });

  it('item 18: apiVersion "9.0" is a 400 with its errorCode at /proxy (never a 500 retried forever)', async () => {
    const items = await h.transform([identify({ email: 'v9@example.com' })]);
    const [out] = await h.proxy(
      items.map((i) => ({ ...i, destination: { Config: { ...h.destination.Config, apiVersion: '9.0' } } })),
    );
    expect(out.statusCode).to.equal(400);
    expect(out.errorCode).to.equal('INVALID_CONFIG');
    expect(out.error).to.contain('"9.0"');
  });

  it("item 19: an OAuth secret without instance_url (or access_token) is the router's fault: 500, retried, never dropped", async () => {
    const items = await h.transform([identify({ email: 'oauth@example.com' })]);
    for (const secret of [{ access_token: 'tok' }, { instance_url: h.emulator.url }]) {
      const [out] = await h.proxy(
        items.map((i) => ({ ...i, metadata: { jobId: 1, secret }, destination: { Config: {} } })),
      );
      expect(out.statusCode, JSON.stringify(out)).to.equal(500);
      expect(out.errorCode).to.equal('INCOMPLETE_SECRET');
    }
    expect(h.records('Lead').filter((l) => l.Email === 'oauth@example.com')).to.have.length(0);
  });
});
