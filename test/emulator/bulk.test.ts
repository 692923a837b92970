import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { Client, useEmulator, V } from './client.js';

describe('emulator: Bulk API 2.0 ingest', () => {
  let emulator: RunningEmulator;
  let sf: Client;
  useEmulator((e, c) => {
    emulator = e;
    sf = c;
  });

  const csv = (text: string): Record<string, string>[] => parse<Record<string, string>>(text, { columns: true });

  async function openJob(spec: Record<string, unknown>): Promise<string> {
    const r = await sf.call('POST', `${V}/jobs/ingest`, { contentType: 'CSV', lineEnding: 'LF', ...spec });
    expect(r.status).to.equal(200);
    expect(r.body.state).to.equal('Open');
    return r.body.id as string;
  }

  async function upload(id: string, text: string): Promise<number> {
    return (await sf.call('PUT', `${V}/jobs/ingest/${id}/batches`, text, { 'Content-Type': 'text/csv' })).status;
  }

  async function pollUntilDone(id: string): Promise<{ polls: number; info: Record<string, any> }> {
    for (let polls = 1; polls < 20; polls++) {
      const r = await sf.call('GET', `${V}/jobs/ingest/${id}`);
      expect(r.status).to.equal(200);
      if (['JobComplete', 'Failed', 'Aborted'].includes(r.body.state)) return { polls, info: r.body };
      expect(r.body.state).to.equal('InProgress');
    }
    throw new Error('job never finished');
  }

  it('upsert lifecycle: empty cell leaves a value, #N/A clears it, failures per row, results correlated by content', async () => {
    const [a, b] = emulator.state.seed('Lead', [
      { LastName: 'A', Company: 'C', Email: 'a@example.com', Title: 'Old', Phone: '111' },
      { LastName: 'B', Company: 'C', Email: 'b@example.com', Title: 'Keep', Phone: '222' },
    ]);
    const id = await openJob({ object: 'Lead', operation: 'upsert', externalIdFieldName: 'Email' });
    const body =
      [
        'Email,LastName,Company,Title,Phone',
        'a@example.com,,,New,',
        'b@example.com,,,#N/A,333',
        'c@example.com,Cee,Co,,',
        'd@example.com,,,x,',
        `e@example.com,${'x'.repeat(81)},Co,,`,
      ].join('\n') + '\n';
    expect(await upload(id, body)).to.equal(201);
    const done = await sf.call('PATCH', `${V}/jobs/ingest/${id}`, { state: 'UploadComplete' });
    expect(done.body.state).to.equal('UploadComplete');

    const { polls, info } = await pollUntilDone(id);
    expect(polls).to.equal(2);
    expect(info).to.include({
      state: 'JobComplete',
      numberRecordsProcessed: 5,
      numberRecordsFailed: 2,
      object: 'Lead',
      operation: 'upsert',
    });

    const ok = await sf.call('GET', `${V}/jobs/ingest/${id}/successfulResults/`);
    expect(ok.status).to.equal(200);
    expect(ok.headers.get('content-type')).to.match(/^text\/csv/);
    expect(ok.text.split('\n')[0]).to.equal('"sf__Id","sf__Created",Email,LastName,Company,Title,Phone');
    const byEmail = Object.fromEntries(csv(ok.text).map((r) => [r.Email, r]));
    expect(Object.keys(byEmail).sort()).to.deep.equal(['a@example.com', 'b@example.com', 'c@example.com']);
    expect(byEmail['a@example.com']).to.include({ sf__Id: a.Id, sf__Created: 'false' });
    expect(byEmail['c@example.com'].sf__Created).to.equal('true');

    expect(emulator.state.get('Lead', a.Id)).to.include({ Title: 'New', Phone: '111', LastName: 'A' });
    expect(emulator.state.get('Lead', b.Id)).to.include({ Title: null, Phone: '333' });
    expect(emulator.state.get('Lead', byEmail['c@example.com'].sf__Id)).to.include({ LastName: 'Cee', Company: 'Co' });

    const failed = csv((await sf.call('GET', `${V}/jobs/ingest/${id}/failedResults/`)).text);
    const errors = Object.fromEntries(failed.map((r) => [r.Email, r.sf__Error]));
    expect(errors['d@example.com']).to.match(
      /^REQUIRED_FIELD_MISSING:Required fields are missing: \[LastName, Company\]:LastName,Company --$/,
    );
    expect(errors['e@example.com']).to.match(/^STRING_TOO_LONG:/);
    expect(emulator.state.list('Lead')).to.have.length(3);
  });

  it('result rows come back in an order that is not the input order (reversed here, shuffled by default)', async () => {
    emulator.state.configure({ bulkResultOrder: 'reverse', bulkPollsBeforeComplete: 0 });
    const id = await openJob({ object: 'Lead', operation: 'insert' });
    await upload(id, 'LastName,Company\nL1,C\nL2,C\nL3,C\n');
    await sf.call('PATCH', `${V}/jobs/ingest/${id}`, { state: 'UploadComplete' });
    const { polls } = await pollUntilDone(id);
    expect(polls).to.equal(1);
    const rows = csv((await sf.call('GET', `${V}/jobs/ingest/${id}/successfulResults/`)).text);
    expect(rows.map((r) => r.LastName)).to.deep.equal(['L3', 'L2', 'L1']);
  });

  it('update and delete jobs use the Id column; per-record faults fail matching rows', async () => {
    const leads = emulator.state.seed('Lead', [
      { LastName: 'A', Company: 'C', Email: 'a@example.com' },
      { LastName: 'B', Company: 'C', Email: 'lock@example.com' },
    ]);
    emulator.state.addRecordFault({ field: 'Email', value: 'lock@example.com', statusCode: 'UNABLE_TO_LOCK_ROW' });
    const id = await openJob({ object: 'Lead', operation: 'update', lineEnding: 'CRLF' });
    await upload(id, `Id,Title\r\n${leads[0].Id},T1\r\n${leads[1].Id},T2\r\n`);
    await sf.call('PATCH', `${V}/jobs/ingest/${id}`, { state: 'UploadComplete' });
    const { info } = await pollUntilDone(id);
    expect(info).to.include({ numberRecordsProcessed: 2, numberRecordsFailed: 1 });
    const failed = csv((await sf.call('GET', `${V}/jobs/ingest/${id}/failedResults/`)).text);
    expect(failed).to.have.length(1);
    expect(failed[0]).to.include({ sf__Id: leads[1].Id, Id: leads[1].Id });
    expect(failed[0].sf__Error).to.match(/^UNABLE_TO_LOCK_ROW:/);

    const del = await openJob({ object: 'Lead', operation: 'delete' });
    await upload(del, `Id\n${leads[0].Id}\n`);
    await sf.call('PATCH', `${V}/jobs/ingest/${del}`, { state: 'UploadComplete' });
    expect((await pollUntilDone(del)).info.numberRecordsFailed).to.equal(0);
    expect(emulator.state.get('Lead', leads[0].Id)?.IsDeleted).to.equal(true);
  });

  it('an unknown column fails the whole job with an errorMessage; the rows come back unprocessed', async () => {
    const id = await openJob({ object: 'Lead', operation: 'insert' });
    await upload(id, 'LastName,Company,Nope__c\nA,B,x\n');
    await sf.call('PATCH', `${V}/jobs/ingest/${id}`, { state: 'UploadComplete' });
    const { info } = await pollUntilDone(id);
    expect(info.state).to.equal('Failed');
    expect(info.errorMessage).to.contain('Nope__c');
    const unprocessed = csv((await sf.call('GET', `${V}/jobs/ingest/${id}/unprocessedrecords/`)).text);
    expect(unprocessed).to.deep.equal([{ LastName: 'A', Company: 'B', Nope__c: 'x' }]);
    expect(emulator.state.list('Lead')).to.have.length(0);
  });

  it('one upload per job, uploads over the size limit → 413, abort and delete', async () => {
    emulator.state.configure({ bulkMaxUploadBytes: 64 });
    const id = await openJob({ object: 'Lead', operation: 'insert' });
    expect(await upload(id, `LastName,Company\n${'A,B\n'.repeat(40)}`)).to.equal(413);
    expect(await upload(id, 'LastName,Company\nA,B\n')).to.equal(201);
    expect(await upload(id, 'LastName,Company\nA,B\n')).to.equal(409);
    const aborted = await sf.call('PATCH', `${V}/jobs/ingest/${id}`, { state: 'Aborted' });
    expect(aborted.body.state).to.equal('Aborted');
    expect((await sf.call('GET', `${V}/jobs/ingest/${id}`)).body.state).to.equal('Aborted');
    expect(emulator.state.list('Lead')).to.have.length(0);
    expect((await sf.call('DELETE', `${V}/jobs/ingest/${id}`)).status).to.equal(204);
    expect((await sf.call('GET', `${V}/jobs/ingest/${id}`)).status).to.equal(404);
  });

  it('refuses an unknown object, an unknown operation, and upsert without an external id field', async () => {
    expect((await sf.call('POST', `${V}/jobs/ingest`, { object: 'Nope', operation: 'insert' })).status).to.equal(400);
    expect((await sf.call('POST', `${V}/jobs/ingest`, { object: 'Lead', operation: 'merge' })).status).to.equal(400);
    expect(
      (await sf.call('POST', `${V}/jobs/ingest`, { object: 'Lead', operation: 'upsert', externalIdFieldName: 'Title' }))
        .status,
    ).to.equal(400);
  });
});
