import { expect } from 'chai';
import request from 'supertest';
import { identify, startHarness, type Harness } from './harness.js';

describe('e2e: events → /transform → /proxy → emulated org (shipped mappings)', function () {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('identify creates a Lead; a second identify with the same email updates it', async () => {
    const [first] = await h.deliver([
      identify({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines' }),
    ]);
    expect(first).to.deep.include({ statusCode: 200, metadata: { jobId: 1 } });
    expect(first.results).to.have.length(1);
    expect(first.results![0]).to.include({ object: 'Lead', created: true });
    const id = first.results![0].id;

    const [second] = await h.deliver([identify({ email: 'ada@example.com', title: 'Countess' })]);
    expect(second.statusCode).to.equal(200);
    expect(second.results).to.deep.equal([{ object: 'Lead', id, created: false }]);

    const leads = h.records('Lead');
    expect(leads).to.have.length(1);
    expect(leads[0]).to.include({
      Id: id,
      Email: 'ada@example.com',
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Company: 'Analytical Engines',
      Title: 'Countess',
    });
  });

  it('"n/a" fills LastName/Company on create only and never overwrites a real Company on update', async () => {
    await h.deliver([identify({ email: 'grace@example.com', firstName: 'Grace' })]);
    expect(h.records('Lead')[0]).to.include({ LastName: 'n/a', Company: 'n/a' });

    await h.deliver([identify({ email: 'grace@example.com', lastName: 'Hopper', company: 'US Navy' })]);
    await h.deliver([identify({ email: 'grace@example.com', title: 'Rear Admiral' })]);
    const leads = h.records('Lead');
    expect(leads).to.have.length(1);
    expect(leads[0]).to.include({ LastName: 'Hopper', Company: 'US Navy', Title: 'Rear Admiral' });
  });

  it('a converted Lead is followed to its Contact with useContactId; without it Salesforce refuses (400)', async () => {
    const [contact] = h.emulator.state.seed('Contact', [{ LastName: 'Turing', Email: 'alan@example.com' }]);
    const [lead] = h.emulator.state.seed('Lead', [
      {
        LastName: 'Turing',
        Company: 'Bletchley',
        Email: 'alan@example.com',
        IsConverted: true,
        ConvertedContactId: contact.Id,
      },
    ]);

    const dest = { Config: { ...h.destination.Config, useContactId: true } };
    const [followed] = await h.deliver([identify({ email: 'alan@example.com', title: 'Codebreaker' })], dest);
    expect(followed.statusCode, followed.error).to.equal(200);
    expect(followed.results).to.deep.equal([{ object: 'Contact', id: contact.Id, created: false }]);
    expect(h.emulator.state.get('Contact', contact.Id)).to.include({ Title: 'Codebreaker' });
    expect(h.emulator.state.get('Lead', lead.Id)).not.to.have.property('Title');

    const [refused] = await h.deliver([identify({ email: 'alan@example.com', title: 'Mathematician' })]);
    expect(refused).to.include({ statusCode: 400, errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD' });
    expect(h.emulator.state.get('Contact', contact.Id)).to.include({ Title: 'Codebreaker' });
  });

  it('group creates the Teemo Account (seed 001) and a second group updates it', async () => {
    const teemo = {
      type: 'group',
      groupId: '813',
      userId: 'u1',
      integrations: { Salesforce: true },
      traits: {
        name: 'Teemo Industries',
        phone: '222-555-4444',
        description: 'Top lane',
        employees: 4,
        website: 'https://teemo.example',
        address: {
          city: 'East Greenwich',
          state: 'RI',
          country: 'US',
          postalCode: '02818',
          street: '9000 Forest Lane',
        },
      },
    };
    const [created] = await h.deliver([teemo]);
    expect(created.statusCode, created.error).to.equal(200);
    expect(created.results![0]).to.include({ object: 'Account', created: true });
    const [updated] = await h.deliver([{ ...teemo, traits: { name: 'Teemo Industries', phone: '222-555-0000' } }]);
    expect(updated.results).to.deep.equal([{ object: 'Account', id: created.results![0].id, created: false }]);

    const accounts = h.records('Account');
    expect(accounts).to.have.length(1);
    expect(accounts[0]).to.include({
      Name: 'Teemo Industries',
      AccountNumber: '813',
      BillingCity: 'East Greenwich',
      BillingState: 'RI',
      BillingCountry: 'US',
      BillingPostalCode: '02818',
      BillingStreet: '9000 Forest Lane',
      NumberOfEmployees: 4,
      Phone: '222-555-0000',
      Website: 'https://teemo.example',
      Description: 'Top lane',
    });
  });

  it('identify with a Salesforce-Contact externalId updates that Contact, no lookup, no Lead', async () => {
    const [contact] = h.emulator.state.seed('Contact', [{ LastName: 'Hamilton', Email: 'margaret@example.com' }]);
    const [out] = await h.deliver([
      identify(
        { email: 'margaret@example.com', title: 'Director' },
        { context: { externalId: [{ type: 'Salesforce-Contact', id: contact.Id }] } },
      ),
    ]);
    expect(out.statusCode, out.error).to.equal(200);
    expect(out.results).to.deep.equal([{ object: 'Contact', id: contact.Id, created: false }]);
    expect(h.emulator.state.get('Contact', contact.Id)).to.include({ Title: 'Director', LastName: 'Hamilton' });
    expect(h.records('Lead')).to.have.length(0);
  });

  it('two Leads with the same email: aborted (400), nothing written', async () => {
    const seeded = h.emulator.state.seed('Lead', [
      { LastName: 'One', Company: 'A', Email: 'twin@example.com' },
      { LastName: 'Two', Company: 'B', Email: 'twin@example.com' },
    ]);
    const before = JSON.stringify(h.records('Lead'));
    h.emulator.state.stats.reset();
    const [out] = await h.deliver([identify({ email: 'twin@example.com', title: 'Twin' })]);
    expect(out.statusCode).to.equal(400);
    expect(out.errorCode).to.match(/^MULTIPLE_/); // the executor's code for "several records match"
    expect(out.results ?? []).to.deep.equal([]);
    expect(JSON.stringify(h.records('Lead'))).to.equal(before);
    expect(seeded).to.have.length(2);
    // Only the lookup reached the org: no write was attempted.
    const calls = h.emulator.state.getStats().byPath;
    expect(Object.keys(calls).filter((k) => !k.startsWith('GET'))).to.deep.equal([]);
  });

  it('identify with a Salesforce-Account externalId updates that Account with the traits as they are (external-object)', async () => {
    const [account] = h.emulator.state.seed('Account', [{ Name: 'Old name' }]);
    const [out] = await h.deliver([
      identify(
        { Name: 'New name', Phone: '555-0100' },
        { context: { externalId: [{ type: 'Salesforce-Account', id: account.Id }] } },
      ),
    ]);
    expect(out.statusCode, out.error).to.equal(200);
    expect(out.results).to.deep.equal([{ object: 'Account', id: account.Id, created: false }]);
    expect(h.emulator.state.get('Account', account.Id)).to.include({ Name: 'New name', Phone: '555-0100' });
  });

  it('rETL: looked up by its identifier, created with it when missing, updated after (retl)', async () => {
    const event = (title: string) => ({
      type: 'identify',
      context: {
        mappedToDestination: true,
        externalId: [{ type: 'SALESFORCE-Contact', id: 'warehouse@example.com', identifierType: 'Email' }],
      },
      traits: { LastName: 'Warehouse', Title: title },
    });
    const [created] = await h.deliver([event('Analyst')]);
    expect(created.statusCode, created.error).to.equal(200);
    expect(created.results![0]).to.include({ object: 'Contact', created: true });
    const [updated] = await h.deliver([event('Lead analyst')]);
    expect(updated.results).to.deep.equal([{ object: 'Contact', id: created.results![0].id, created: false }]);
    const contacts = h.records('Contact');
    expect(contacts).to.have.length(1);
    expect(contacts[0]).to.include({ Email: 'warehouse@example.com', LastName: 'Warehouse', Title: 'Lead analyst' });
  });

  it('record events insert, update and delete the record named by context.externalId (record-upsert, record-delete)', async () => {
    const ext = (id: string, identifierType: string) => ({
      externalId: [{ type: 'Salesforce-Account', id, identifierType }],
    });
    const [inserted] = await h.deliver([
      { type: 'record', action: 'insert', fields: { Name: 'Row 1', Phone: '1' }, context: ext('R-1', 'AccountNumber') },
    ]);
    expect(inserted.statusCode, inserted.error).to.equal(200);
    const id = inserted.results![0].id;
    expect(h.emulator.state.get('Account', id)).to.include({ Name: 'Row 1', AccountNumber: 'R-1' });

    const [updated] = await h.deliver([
      { type: 'record', action: 'update', fields: { Name: 'Row 1', Phone: '2' }, context: ext('R-1', 'AccountNumber') },
    ]);
    expect(updated.results).to.deep.equal([{ object: 'Account', id, created: false }]);
    expect(h.emulator.state.get('Account', id)).to.include({ Phone: '2' });

    const [deleted] = await h.deliver([{ type: 'record', action: 'delete', fields: {}, context: ext(id, 'Id') }]);
    expect(deleted.statusCode, deleted.error).to.equal(200);
    // Salesforce deletes are soft: the record goes to the recycle bin (IsDeleted).
    expect(h.records('Account').map((a) => [a.Id, a.IsDeleted])).to.deep.equal([[id, true]]);
  });

  it('an event that does not opt in is filtered by /transform (integration-flag) and never reaches /proxy', async () => {
    const res = await request(h.app)
      .post('/transform')
      .send([
        {
          message: { type: 'identify', traits: { email: 'quiet@example.com' } },
          metadata: { jobId: 1 },
          destination: h.destination,
        },
      ]);
    expect(res.body[0].statusCode).to.equal(298);
  });
});
