import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { Client, useEmulator, V } from './client.js';

describe('emulator as a source org: Bulk API 2.0 query jobs', () => {
  let emulator: RunningEmulator;
  let sf: Client;
  useEmulator((e, c) => {
    emulator = e;
    sf = c;
  });

  const createJob = (query: string, operation = 'queryAll', extra: Record<string, unknown> = {}) =>
    sf.call('POST', `${V}/jobs/query`, { operation, query, contentType: 'CSV', ...extra });

  const waitComplete = async (id: string): Promise<string[]> => {
    const states: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await sf.call('GET', `${V}/jobs/query/${id}`);
      states.push(r.body.state);
      if (r.body.state === 'JobComplete') break;
    }
    return states;
  };

  it('runs UploadComplete → InProgress → JobComplete and pages CSV results by Sforce-Locator', async () => {
    const seeded = emulator.state.seed(
      'Contact',
      Array.from({ length: 5 }, (_, i) => ({
        LastName: `C${i}`,
        Email: i === 1 ? null : `c${i}@example.com`,
        Description: i === 2 ? 'has "quotes", commas\nand a newline' : null,
        SystemModstamp: '2026-02-03T04:05:06.000+0000',
      })),
    );
    emulator.state.store.update('Contact', emulator.state.store.get('Contact', seeded[4].Id)!, { IsDeleted: true });
    const created = await createJob('SELECT Id, LastName, Email, Description, IsDeleted, SystemModstamp FROM Contact');
    expect(created.status).to.equal(200);
    expect(created.body).to.include({
      operation: 'queryAll',
      object: 'Contact',
      state: 'UploadComplete',
      contentType: 'CSV',
      columnDelimiter: 'COMMA',
      lineEnding: 'LF',
    });
    expect(created.body.id).to.match(/^750/);
    expect(await waitComplete(created.body.id)).to.deep.equal(['InProgress', 'JobComplete']);

    const rows: Record<string, string>[] = [];
    let locator: string | null = '';
    const counts: string[] = [];
    let pages = 0;
    while (locator !== null) {
      const q: string = locator === '' ? '?maxRecords=2' : `?maxRecords=2&locator=${encodeURIComponent(locator)}`;
      const page = await sf.call('GET', `${V}/jobs/query/${created.body.id}/results${q}`);
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.contain('text/csv');
      expect(page.text.split('\n')[0]).to.equal('"Id","LastName","Email","Description","IsDeleted","SystemModstamp"');
      rows.push(...parse<Record<string, string>>(page.text, { columns: true }));
      counts.push(page.headers.get('sforce-numberofrecords') as string);
      const next = page.headers.get('sforce-locator');
      locator = next === 'null' ? null : next;
      pages++;
    }
    expect(pages).to.equal(3);
    expect(counts).to.deep.equal(['2', '2', '1']);
    expect(rows.map((r) => r.LastName)).to.deep.equal(['C0', 'C1', 'C2', 'C3', 'C4']);
    expect(rows[1].Email).to.equal('');
    expect(rows[2].Description).to.equal('has "quotes", commas\nand a newline');
    expect(rows[4].IsDeleted).to.equal('true');
    // Bulk writes datetimes with Z where REST writes +0000.
    expect(rows[0].SystemModstamp).to.equal('2026-02-03T04:05:06.000Z');

    const live = await createJob('SELECT Id FROM Contact', 'query');
    await waitComplete(live.body.id);
    const all = await sf.call('GET', `${V}/jobs/query/${live.body.id}/results`);
    expect(all.headers.get('sforce-locator')).to.equal('null');
    expect(all.headers.get('sforce-numberofrecords')).to.equal('4');
    expect((await sf.call('GET', `${V}/limits`)).body.DailyBulkV2QueryJobs.Remaining).to.equal(9998);
  });

  it('refuses compound and binary fields at creation as Salesforce does, and bad queries with the SOQL error', async () => {
    const compound = await createJob('SELECT Id, BillingAddress FROM Account');
    expect(compound.status).to.equal(400);
    expect(compound.body).to.deep.equal([
      { errorCode: 'API_ERROR', message: 'Selecting compound data not supported in Bulk Query' },
    ]);
    const location = await createJob('SELECT Id, HQ_Location__c FROM Account');
    expect(location.body[0].message).to.equal('Selecting compound data not supported in Bulk Query');
    const components = await createJob('SELECT Id, BillingCity, HQ_Location__Latitude__s FROM Account');
    expect(components.status).to.equal(200);
    const binary = await createJob('SELECT Id, Body FROM Document');
    expect(binary.status).to.equal(400);
    expect(binary.body[0].message).to.contain('Binary field not supported');
    const badField = await createJob('SELECT Id, Nope__c FROM Account');
    expect(badField.body[0]).to.include({ errorCode: 'API_ERROR' });
    expect(badField.body[0].message).to.contain("No such column 'Nope__c'");
    expect((await createJob('SELECT Id FROM Name')).body[0].message).to.contain('does not support query');
    expect((await createJob('SELECT Id FROM Account', 'upsert')).body[0].errorCode).to.equal('INVALIDJOB');
  });

  it('answers results only once complete, and aborts and deletes jobs', async () => {
    emulator.state.seed('Lead', [{ LastName: 'A', Company: 'C' }]);
    const job = (await createJob('SELECT Id FROM Lead')).body;
    const early = await sf.call('GET', `${V}/jobs/query/${job.id}/results`);
    expect(early.status).to.equal(400);
    expect(early.body[0].errorCode).to.equal('INVALIDJOBSTATE');
    expect((await sf.call('PATCH', `${V}/jobs/query/${job.id}`, { state: 'Aborted' })).body.state).to.equal('Aborted');
    expect((await sf.call('GET', `${V}/jobs/query`)).body.records.map((j: { id: string }) => j.id)).to.include(job.id);
    expect((await sf.call('DELETE', `${V}/jobs/query/${job.id}`)).status).to.equal(204);
    expect((await sf.call('GET', `${V}/jobs/query/${job.id}`)).status).to.equal(404);
    const bad = (await createJob('SELECT Id FROM Lead')).body;
    await waitComplete(bad.id);
    expect((await sf.call('GET', `${V}/jobs/query/${bad.id}/results?locator=bogus`)).status).to.equal(400);
  });
});
