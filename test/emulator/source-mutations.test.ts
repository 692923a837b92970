import { expect } from 'chai';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { SourceOrgAdmin } from '../helpers/emulator-source.js';
import { Client, useEmulator, V } from './client.js';

describe('emulator as a source org: composite/batch, deletes, replication, new fields', () => {
  let emulator: RunningEmulator;
  let sf: Client;
  /** The org's clock: /deleted covers whole minutes up to now, so the test moves time on. */
  let clock = Date.now();
  useEmulator(
    (e, c) => {
      emulator = e;
      sf = c;
    },
    { now: () => new Date(clock) },
  );
  beforeEach(() => {
    clock = Date.now();
  });

  const queryAll = (soql: string) => sf.call('GET', `${V}/queryAll?q=${encodeURIComponent(soql)}`);
  const minutesAgo = (m: number): string => new Date(Date.now() - m * 60000).toISOString();

  it('composite/batch runs up to 25 describes as one API call; 26 are refused; haltOnError stops the rest', async () => {
    const objects = ['Account', 'Contact', 'Lead', 'Nope__c', 'Case'];
    const r = await sf.call('POST', `${V}/composite/batch`, {
      batchRequests: objects.map((o) => ({ method: 'GET', url: `v66.0/sobjects/${o}/describe` })),
    });
    expect(r.status).to.equal(200);
    expect(r.body.hasErrors).to.equal(true);
    expect(r.body.results.map((x: { statusCode: number }) => x.statusCode)).to.deep.equal([200, 200, 200, 404, 200]);
    expect(r.body.results[0].result.name).to.equal('Account');
    expect(r.headers.get('sforce-limit-info')).to.equal('api-usage=1/15000');
    expect(emulator.state.getStats().apiCalls).to.equal(1);
    const halted = await sf.call('POST', `${V}/composite/batch`, {
      haltOnError: true,
      batchRequests: objects.map((o) => ({ method: 'GET', url: `/services/data/v66.0/sobjects/${o}/describe` })),
    });
    expect(halted.body.results.map((x: { statusCode: number }) => x.statusCode)).to.deep.equal([
      200, 200, 200, 404, 412,
    ]);
    expect(halted.body.results[4].result[0].errorCode).to.equal('BATCH_PROCESSING_HALTED');
    const many = await sf.call('POST', `${V}/composite/batch`, {
      batchRequests: Array.from({ length: 26 }, () => ({ method: 'GET', url: 'v66.0/limits' })),
    });
    expect(many.status).to.equal(400);
    const query = await sf.call('POST', `${V}/composite/batch`, {
      batchRequests: [{ method: 'GET', url: `v66.0/queryAll?q=${encodeURIComponent('SELECT COUNT() FROM Lead')}` }],
    });
    expect(query.body.results[0]).to.deep.equal({ statusCode: 200, result: { totalSize: 0, done: true, records: [] } });
  });

  it('soft delete: queryAll and /deleted see it; hard delete: nothing sees it any more', async () => {
    const [a, b, c] = emulator.state.seed('Account', [{ Name: 'A' }, { Name: 'B' }, { Name: 'C' }]);
    const start = minutesAgo(2);
    expect((await sf.call('DELETE', `${V}/sobjects/Account/${a.Id}`)).status).to.equal(204);
    const org = new SourceOrgAdmin(emulator.url);
    expect(await org.hardDelete('Account', { ids: [b.Id] })).to.deep.equal([b.Id]);
    const all = await queryAll('SELECT Id, IsDeleted FROM Account ORDER BY Name');
    expect(all.body.records.map((r: { Id: string; IsDeleted: boolean }) => [r.Id, r.IsDeleted])).to.deep.equal([
      [a.Id, true],
      [c.Id, false],
    ]);
    expect((await sf.query('SELECT Id FROM Account')).body.records.map((r: { Id: string }) => r.Id)).to.deep.equal([
      c.Id,
    ]);
    clock += 120000;
    const end = new Date(clock).toISOString();
    const deleted = await sf.call(
      'GET',
      `${V}/sobjects/Account/deleted/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
    );
    expect(deleted.status).to.equal(200);
    expect(deleted.body.deletedRecords.map((d: { id: string }) => d.id)).to.deep.equal([a.Id]);
    expect(deleted.body.deletedRecords[0].deletedDate).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(deleted.body.latestDateCovered).to.match(/:00\.000\+0000$/);
    const updated = await sf.call(
      'GET',
      `${V}/sobjects/Account/updated/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
    );
    expect(updated.body.ids).to.deep.equal([c.Id]);
    expect(
      (await sf.call('GET', `${V}/sobjects/Account/deleted/?end=${encodeURIComponent(end)}`)).body[0].errorCode,
    ).to.equal('MISSING_ARGUMENT');
    const old = await sf.call(
      'GET',
      `${V}/sobjects/Account/deleted/?start=${encodeURIComponent(minutesAgo(60 * 24 * 16))}&end=${encodeURIComponent(end)}`,
    );
    expect(old.status).to.equal(400);
    expect(old.body[0].errorCode).to.equal('INVALID_REPLICATION_DATE');
    expect(
      (
        await sf.call(
          'GET',
          `${V}/sobjects/Name/deleted/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
        )
      ).body[0].errorCode,
    ).to.equal('CANNOT_REPLICATE');
  });

  it('a custom field added at run time shows in describe and queries; its backfill does not move SystemModstamp', async () => {
    const [a] = emulator.state.seed('Account', [{ Name: 'A', SystemModstamp: '2026-01-01T00:00:00.000+0000' }]);
    const org = new SourceOrgAdmin(emulator.url);
    expect(await org.addField('Account', { name: 'Churn_Risk__c', type: 'percent' }, 12.5)).to.include({
      name: 'Churn_Risk__c',
    });
    const d = await sf.call('GET', `${V}/sobjects/Account/describe`);
    expect(d.body.fields.find((f: { name: string }) => f.name === 'Churn_Risk__c')).to.include({
      type: 'percent',
      custom: true,
      filterable: true,
    });
    const q = await queryAll('SELECT Id, Churn_Risk__c, SystemModstamp FROM Account');
    expect(q.body.records[0]).to.include({
      Id: a.Id,
      Churn_Risk__c: 12.5,
      SystemModstamp: '2026-01-01T00:00:00.000+0000',
    });
    let refused: Error | undefined;
    await org.addField('Account', { name: 'Bad Name', type: 'string' }).catch((e: Error) => {
      refused = e;
    });
    expect(refused?.message).to.match(/400 field name must match/);
  });
});

describe('emulator as a source org: generated data and mutations between runs', () => {
  let emulator: RunningEmulator;
  let sf: Client;
  useEmulator((e, c) => {
    emulator = e;
    sf = c;
  });

  it('fills every queryable object with related rows, about as many as asked, the same for the same seed', async () => {
    const org = new SourceOrgAdmin(emulator.url);
    const report = await org.generate({ rows: 5000, seed: 7 });
    expect(report.rows).to.be.within(4900, 5100);
    const counts = await org.counts();
    const described = (await sf.call('GET', `${V}/sobjects`)).body.sobjects.filter(
      (o: { queryable: boolean }) => o.queryable,
    );
    for (const o of described) expect(counts[o.name], o.name).to.not.equal(undefined);
    expect(counts.Name).to.equal(undefined);
    const deleted = Object.values(counts).reduce((s, c) => s + c.deleted, 0);
    expect(deleted).to.be.greaterThan(0);
    // References point at rows that exist.
    const accounts = new Set(emulator.state.list('Account').map((a) => a.Id));
    const contacts = emulator.state.list('Contact');
    expect(contacts.every((c) => accounts.has(c.AccountId as string))).to.equal(true);
    // A contact role joins an opportunity and a contact of the same account.
    const accountOf = new Map<unknown, unknown>(
      [...contacts, ...emulator.state.list('Opportunity')].map((x) => [x.Id, x.AccountId]),
    );
    const roles = emulator.state.list('OpportunityContactRole');
    expect(roles.length).to.be.greaterThan(50);
    for (const r of roles)
      expect(accountOf.get(r.ContactId), r.Id).to.equal(accountOf.get(r.OpportunityId)).and.not.equal(undefined);
    for (const c of emulator.state.list('Case'))
      if (c.ContactId) expect(accountOf.get(c.ContactId)).to.equal(c.AccountId);
    // Realistic values and stamps in the past.
    const lead = emulator.state.list('Lead')[0];
    expect(lead.Email).to.match(/^[a-z.-]+\.\d+@[a-z]+\.example\.com$/);
    expect(String(lead.SystemModstamp) < new Date().toISOString().replace('Z', '+0000')).to.equal(true);
    expect(String(lead.SystemModstamp) >= String(lead.CreatedDate)).to.equal(true);
    const first = emulator.state.list('Opportunity').slice(0, 20);
    emulator.state.reset();
    emulator.state.generate({ rows: 5000, seed: 7 });
    expect(
      emulator.state
        .list('Opportunity')
        .slice(0, 20)
        .map((o) => [o.Id, o.Name, o.Amount]),
    ).to.deep.equal(first.map((o) => [o.Id, o.Name, o.Amount]));
  });

  it('update N moves exactly those stamps; set-values moves none; a late row lands behind the cursor', async () => {
    const org = new SourceOrgAdmin(emulator.url);
    emulator.state.generate({ rows: 2000, seed: 3, deletedShare: 0 });
    const cursor = new Date().toISOString();
    const updated = await org.update('Lead', { count: 5, seed: 2 });
    expect(new Set(updated).size).to.equal(5);
    const moved = await sf.call(
      'GET',
      `${V}/queryAll?q=${encodeURIComponent(`SELECT Id FROM Lead WHERE SystemModstamp >= ${cursor}`)}`,
    );
    expect(moved.body.records.map((r: { Id: string }) => r.Id).sort()).to.deep.equal([...updated].sort());

    const before = emulator.state.list('Opportunity').map((o) => o.SystemModstamp);
    await org.setValues('Opportunity', { all: true, values: { Weighted_Amount__c: 1 } });
    const after = emulator.state.list('Opportunity');
    expect(after.map((o) => o.SystemModstamp)).to.deep.equal(before);
    expect(after.every((o) => o.Weighted_Amount__c === 1)).to.equal(true);

    const late = await org.lateRow('Lead', { secondsAgo: 900, values: { LastName: 'Late' } });
    expect(late.LastName).to.equal('Late');
    expect(Date.parse(String(late.SystemModstamp).replace('+0000', 'Z'))).to.be.below(Date.parse(cursor) - 800000);
    const behind = await sf.query(`SELECT Id FROM Lead WHERE SystemModstamp >= ${cursor}`);
    expect(behind.body.records.map((r: { Id: string }) => r.Id)).to.not.include(late.Id);
    const lookback = await sf.query(
      `SELECT Id FROM Lead WHERE SystemModstamp >= ${new Date(Date.parse(cursor) - 1200000).toISOString()}`,
    );
    expect(lookback.body.records.map((r: { Id: string }) => r.Id)).to.include(late.Id);

    const soft = await org.softDelete('Contact', { count: 3 });
    expect(soft).to.have.length(3);
    expect(soft.every((id) => emulator.state.get('Contact', id)?.IsDeleted === true)).to.equal(true);
    const hard = await org.hardDelete('Contact', { count: 2, seed: 9 });
    expect(hard.every((id) => emulator.state.get('Contact', id) === undefined)).to.equal(true);
    let unknown: Error | undefined;
    await org.update('Nope__c', { count: 1 }).catch((e: Error) => {
      unknown = e;
    });
    expect(unknown?.message).to.match(/400 unknown object Nope__c/);
  });
});
