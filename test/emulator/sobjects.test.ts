import { expect } from 'chai';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { toRecordId18 } from '../../src/salesforce/record-id.js';
import { Client, useEmulator, V } from './client.js';

describe('emulator: single-record REST', () => {
  let emulator: RunningEmulator;
  let sf: Client;
  useEmulator((e, c) => {
    emulator = e;
    sf = c;
  });

  it('create → query → get → update → delete round trip with Salesforce status codes', async () => {
    const created = await sf.call('POST', `${V}/sobjects/Lead`, {
      LastName: 'Lovelace',
      Company: 'Engines',
      Email: 'ada@example.com',
    });
    expect(created.status).to.equal(201);
    expect(created.body).to.deep.include({ success: true, errors: [] });
    const id: string = created.body.id;
    expect(id).to.match(/^00Q[A-Za-z0-9]{15}$/);

    const found = await sf.query("SELECT Id, LastName FROM Lead WHERE Email = 'ada@example.com'");
    expect(found.status).to.equal(200);
    expect(found.body).to.deep.equal({
      totalSize: 1,
      done: true,
      records: [{ attributes: { type: 'Lead', url: `${V}/sobjects/Lead/${id}` }, Id: id, LastName: 'Lovelace' }],
    });

    const updated = await sf.call('PATCH', `${V}/sobjects/Lead/${id}`, { Title: 'Countess' });
    expect(updated.status).to.equal(204);
    expect(updated.text).to.equal('');
    const got = await sf.call('GET', `${V}/sobjects/Lead/${id}?fields=Title,LastName`);
    expect(got.status).to.equal(200);
    expect(got.body).to.deep.include({ Id: id, Title: 'Countess', LastName: 'Lovelace' });

    expect((await sf.call('DELETE', `${V}/sobjects/Lead/${id}`)).status).to.equal(204);
    const gone = await sf.call('GET', `${V}/sobjects/Lead/${id}`);
    expect(gone.status).to.equal(404);
    expect(gone.body[0].errorCode).to.equal('ENTITY_IS_DELETED');
    expect((await sf.query("SELECT Id FROM Lead WHERE Email = 'ada@example.com'")).body.totalSize).to.equal(0);
    // Still stored for assertions, marked deleted.
    expect(emulator.state.list('Lead')).to.have.length(1);
    expect(emulator.state.list('Lead')[0].IsDeleted).to.equal(true);
  });

  it('unknown Id → 404 NOT_FOUND; malformed Id or an Id of another object → 400 MALFORMED_ID; unknown object → 404', async () => {
    const [account] = emulator.state.seed('Account', [{ Name: 'Acme' }]);
    const missing = await sf.call('GET', `${V}/sobjects/Lead/${toRecordId18('00Q5g000000AbCd')}`);
    expect(missing.status).to.equal(404);
    expect(missing.body[0].errorCode).to.equal('NOT_FOUND');
    for (const bad of ['abc', account.Id, '00Q5g000000AbCdXXX']) {
      const r = await sf.call('PATCH', `${V}/sobjects/Lead/${bad}`, { Title: 'x' });
      expect(r.status, bad).to.equal(400);
      expect(r.body[0].errorCode).to.equal('MALFORMED_ID');
    }
    const noObject = await sf.call('POST', `${V}/sobjects/Nope__c`, { Name: 'x' });
    expect(noObject.status).to.equal(404);
    expect(noObject.body[0].errorCode).to.equal('NOT_FOUND');
  });

  it('missing required fields → REQUIRED_FIELD_MISSING naming them, nothing stored', async () => {
    const r = await sf.call('POST', `${V}/sobjects/Lead`, { Email: 'x@example.com' });
    expect(r.status).to.equal(400);
    expect(r.body).to.deep.equal([
      {
        message: 'Required fields are missing: [LastName, Company]',
        errorCode: 'REQUIRED_FIELD_MISSING',
        fields: ['LastName', 'Company'],
      },
    ]);
    expect(emulator.state.list('Lead')).to.have.length(0);
    // Clearing a required field on update is refused too.
    const [lead] = emulator.state.seed('Lead', [{ LastName: 'A', Company: 'B' }]);
    const clear = await sf.call('PATCH', `${V}/sobjects/Lead/${lead.Id}`, { Company: null });
    expect(clear.status).to.equal(400);
    expect(clear.body[0].errorCode).to.equal('REQUIRED_FIELD_MISSING');
  });

  it('unknown field → INVALID_FIELD; read-only field → INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
    const unknown = await sf.call('POST', `${V}/sobjects/Lead`, { LastName: 'A', Company: 'B', testProp__c: 'x' });
    expect(unknown.status).to.equal(400);
    expect(unknown.body).to.deep.equal([
      { message: "No such column 'testProp__c' on sobject of type Lead", errorCode: 'INVALID_FIELD' },
    ]);
    const readOnly = await sf.call('POST', `${V}/sobjects/Lead`, {
      LastName: 'A',
      Company: 'B',
      ConvertedDate: '2024-01-02',
    });
    expect(readOnly.status).to.equal(400);
    expect(readOnly.body[0].errorCode).to.equal('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(readOnly.body[0].fields).to.deep.equal(['ConvertedDate']);
    expect(emulator.state.list('Lead')).to.have.length(0);
  });

  it('a create-only field is refused in an update, an update-only one in a create (describe: createable/updateable)', async () => {
    // Lead.IsConverted: createable, not updateable; Lead.EmailBouncedDate: updateable, not createable.
    const created = await sf.call('POST', `${V}/sobjects/Lead`, { LastName: 'A', Company: 'B', IsConverted: false });
    expect(created.status).to.equal(201);
    const update = await sf.call('PATCH', `${V}/sobjects/Lead/${created.body.id}`, { IsConverted: true });
    expect(update.status).to.equal(400);
    expect(update.body[0]).to.include({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' });
    expect(update.body[0].fields).to.deep.equal(['IsConverted']);
    const bounced = { LastName: 'A', Company: 'B', EmailBouncedDate: '2024-01-02T03:04:05.000Z' };
    const create = await sf.call('POST', `${V}/sobjects/Lead`, bounced);
    expect(create.status).to.equal(400);
    expect(create.body[0].fields).to.deep.equal(['EmailBouncedDate']);
    const later = await sf.call('PATCH', `${V}/sobjects/Lead/${created.body.id}`, {
      EmailBouncedDate: bounced.EmailBouncedDate,
    });
    expect(later.status).to.equal(204);
    expect(emulator.state.get('Lead', created.body.id)?.EmailBouncedDate).to.equal('2024-01-02T03:04:05.000+0000');
  });

  it('a registered custom field is accepted; custom objects can be registered with their fields', async () => {
    emulator.state.defineObject({ name: 'Lead', fields: { testProp__c: { type: 'string', length: 10 } } });
    const ok = await sf.call('POST', `${V}/sobjects/Lead`, { LastName: 'A', Company: 'B', testProp__c: 'hello' });
    expect(ok.status).to.equal(201);
    expect(emulator.state.get('Lead', ok.body.id)?.testProp__c).to.equal('hello');

    const admin = await fetch(`${emulator.url}/__emulator/objects`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Ticket__c',
        fields: { Code__c: { type: 'string', length: 20, externalId: true }, Size__c: { type: 'int' } },
      }),
    });
    expect(admin.status).to.equal(201);
    const t = await sf.call('POST', `${V}/sobjects/Ticket__c`, { Name: 'T1', Code__c: 'C-1', Size__c: 3 });
    expect(t.status).to.equal(201);
    const d = await sf.call('GET', `${V}/sobjects/Ticket__c/describe`);
    expect(d.body.fields.find((f: { name: string }) => f.name === 'Code__c')).to.include({
      type: 'string',
      length: 20,
      externalId: true,
      createable: true,
    });
  });

  it('too long strings → STRING_TOO_LONG, counting characters (an emoji is one)', async () => {
    const fits = await sf.call('POST', `${V}/sobjects/Lead`, { LastName: '😀'.repeat(80), Company: 'B' });
    expect(fits.status).to.equal(201);
    const long = await sf.call('POST', `${V}/sobjects/Lead`, { LastName: 'x'.repeat(81), Company: 'B' });
    expect(long.status).to.equal(400);
    expect(long.body[0]).to.include({ errorCode: 'STRING_TOO_LONG' });
    expect(long.body[0].fields).to.deep.equal(['LastName']);
  });

  it('a value of the wrong JSON type → JSON_PARSER_ERROR', async () => {
    for (const body of [{ NumberOfEmployees: 'many' }, { HasOptedOutOfEmail: 'nope' }, { LastName: { first: 'x' } }]) {
      const r = await sf.call('POST', `${V}/sobjects/Lead`, { LastName: 'A', Company: 'B', ...body });
      expect(r.status, JSON.stringify(body)).to.equal(400);
      expect(r.body[0].errorCode).to.equal('JSON_PARSER_ERROR');
    }
    const badJson = await sf.call('POST', `${V}/sobjects/Lead`, '{"LastName": ');
    expect(badJson.status).to.equal(400);
    expect(badJson.body[0].errorCode).to.equal('JSON_PARSER_ERROR');
  });

  it('a converted lead cannot be updated (seeded through the admin endpoint)', async () => {
    const [contact] = emulator.state.seed('Contact', [{ LastName: 'L' }]);
    const seeded = await fetch(`${emulator.url}/__emulator/records/Lead`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([
        { LastName: 'L', Company: 'C', Email: 'conv@example.com', IsConverted: true, ConvertedContactId: contact.Id },
      ]),
    });
    expect(seeded.status).to.equal(201);
    const [lead] = (await seeded.json()) as { Id: string }[];
    const q = await sf.query("SELECT Id, IsConverted, ConvertedContactId FROM Lead WHERE Email = 'conv@example.com'");
    expect(q.body.records[0]).to.include({ IsConverted: true, ConvertedContactId: contact.Id });
    const r = await sf.call('PATCH', `${V}/sobjects/Lead/${lead.Id}`, { Title: 'x' });
    expect(r.status).to.equal(400);
    expect(r.body[0].errorCode).to.equal('CANNOT_UPDATE_CONVERTED_LEAD');
    expect((await sf.call('PATCH', `${V}/sobjects/Contact/${contact.Id}`, { Title: 'x' })).status).to.equal(204);
  });

  it('upsert by external id: 201 created, 200 updated, 300 several matches, 404 not an external id', async () => {
    const path = `${V}/sobjects/Lead/Email/${encodeURIComponent("o'neil+1@example.com")}`;
    const created = await sf.call('PATCH', path, { LastName: 'ONeil', Company: 'C' });
    expect(created.status).to.equal(201);
    expect(created.body).to.deep.include({ success: true, errors: [], created: true });
    expect(emulator.state.get('Lead', created.body.id)?.Email).to.equal("o'neil+1@example.com");

    const updated = await sf.call('PATCH', path.replace('neil', 'NEIL'), { Title: 'Boss' });
    expect(updated.status).to.equal(200);
    expect(updated.body).to.deep.equal({ id: created.body.id, success: true, errors: [], created: false });
    const old = await sf.call('PATCH', path.replace('v66.0', 'v45.0'), { Title: 'Boss' });
    expect(old.status).to.equal(204);

    const dupes = emulator.state.seed('Lead', [
      { LastName: 'A', Company: 'C', Email: 'dup@example.com' },
      { LastName: 'B', Company: 'C', Email: 'dup@example.com' },
    ]);
    const several = await sf.call('PATCH', `${V}/sobjects/Lead/Email/dup@example.com`, { Title: 'x' });
    expect(several.status).to.equal(300);
    expect(several.body).to.deep.equal(dupes.map((d) => `${V}/sobjects/Lead/${d.Id}`));

    for (const field of ['Title', 'NoSuchField']) {
      const r = await sf.call('PATCH', `${V}/sobjects/Lead/${field}/x`, { LastName: 'A', Company: 'B' });
      expect(r.status, field).to.equal(404);
      expect(r.body[0].errorCode).to.equal('NOT_FOUND');
    }
  });

  it('duplicate rule: a second Lead with the same Email → DUPLICATES_DETECTED', async () => {
    emulator.state.configure({ duplicateRules: [{ object: 'Lead', fields: ['Email'] }] });
    expect(
      (await sf.call('POST', `${V}/sobjects/Lead`, { LastName: 'A', Company: 'B', Email: 'same@example.com' })).status,
    ).to.equal(201);
    const second = await sf.call('POST', `${V}/sobjects/Lead`, {
      LastName: 'A',
      Company: 'B',
      Email: 'SAME@example.com',
    });
    expect(second.status).to.equal(400);
    expect(second.body[0].errorCode).to.equal('DUPLICATES_DETECTED');
  });

  it('a timed Event needs a start and a length, an all-day one neither (describe calls both nillable)', async () => {
    const timed = await sf.call('POST', `${V}/sobjects/Event`, { Subject: 'Call' });
    expect(timed.status).to.equal(400);
    expect(timed.body).to.deep.equal([
      {
        errorCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [ActivityDateTime, DurationInMinutes]',
        fields: ['ActivityDateTime', 'DurationInMinutes'],
      },
    ]);
    const noLength = await sf.call('POST', `${V}/sobjects/Event`, {
      Subject: 'Call',
      ActivityDateTime: '2024-06-03T09:00:00Z',
    });
    expect(noLength.body[0].fields).to.deep.equal(['DurationInMinutes']);
    const startEnd = { StartDateTime: '2024-06-03T09:00:00Z', EndDateTime: '2024-06-03T09:30:00Z' };
    expect((await sf.call('POST', `${V}/sobjects/Event`, { Subject: 'Call', ...startEnd })).status).to.equal(201);
    const allDay = { Subject: 'Offsite', IsAllDayEvent: true, ActivityDate: '2024-06-03' };
    expect((await sf.call('POST', `${V}/sobjects/Event`, allDay)).status).to.equal(201);
    expect(emulator.state.list('Event')).to.have.length(2);
  });

  it("describe reports types, lengths and flags from the org's own definition", async () => {
    const d = await sf.call('GET', `${V}/sobjects/Lead/describe`);
    expect(d.status).to.equal(200);
    expect(d.body.name).to.equal('Lead');
    const byName = Object.fromEntries(d.body.fields.map((f: { name: string }) => [f.name, f]));
    const flags = ['createable', 'updateable', 'nillable', 'defaultedOnCreate'];
    const pick = (f: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(flags.map((k) => [k, f[k]]));
    // As Salesforce's own Lead describe says them (src/emulator/org/README.md).
    expect(byName.LastName).to.include({ type: 'string', length: 80 });
    expect(pick(byName.LastName)).to.deep.equal({
      createable: true,
      updateable: true,
      nillable: false,
      defaultedOnCreate: false,
    });
    expect(pick(byName.Status)).to.deep.equal({
      createable: true,
      updateable: true,
      nillable: false,
      defaultedOnCreate: true,
    });
    expect(pick(byName.IsConverted)).to.deep.equal({
      createable: true,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
    });
    expect(pick(byName.EmailBouncedDate)).to.deep.equal({
      createable: false,
      updateable: true,
      nillable: true,
      defaultedOnCreate: false,
    });
    expect(pick(byName.ConvertedDate)).to.deep.equal({
      createable: false,
      updateable: false,
      nillable: true,
      defaultedOnCreate: false,
    });
    expect(byName.Email).to.include({ type: 'email', length: 80, idLookup: true, externalId: false });
    expect(byName.AnnualRevenue).to.include({ type: 'currency', precision: 18, scale: 0 });
  });

  it('a request line longer than 16,384 bytes → 414', async () => {
    const q = `SELECT Id FROM Lead WHERE Email IN (${Array.from({ length: 800 }, (_, i) => `'someone${i}@example.com'`).join(',')})`;
    const r = await sf.query(q);
    expect(r.status).to.equal(414);
    const shorter = await sf.query(q.slice(0, 300).replace(/,[^,]*$/, ')'));
    expect(shorter.status).to.equal(200);
  });
});
