import { expect } from 'chai';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { Client, startWithClient, V } from './client.js';

describe('emulator: admin endpoints (no token, not counted)', () => {
  let emulator: RunningEmulator;
  let sf: Client;
  before(async () => {
    ({ emulator, client: sf } = await startWithClient({ seed: 3 }));
  });
  after(() => emulator.close());

  const admin = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${emulator.url}/__emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  it('reset restarts ids from the seed, empties records and counters, and keeps sessions unless asked', async () => {
    await admin('POST', 'reset');
    const first = (await sf.call('POST', `${V}/sobjects/Lead`, { LastName: 'A', Company: 'B' })).body.id;
    expect((await admin('GET', 'records/Lead')).body).to.have.length(1);
    expect((await admin('POST', 'reset')).status).to.equal(200);
    expect((await admin('GET', 'records/Lead')).body).to.deep.equal([]);
    expect((await admin('GET', 'stats')).body.apiCalls).to.equal(0);
    const again = await sf.call('POST', `${V}/sobjects/Lead`, { LastName: 'A', Company: 'B' });
    expect(again.status).to.equal(201);
    expect(again.body.id).to.equal(first);
    await admin('POST', 'reset', { sessions: true });
    expect((await sf.call('GET', `${V}/sobjects`)).status).to.equal(401);
    sf.token = (await admin('POST', 'tokens', {})).body.access_token;
    expect((await sf.call('GET', `${V}/sobjects`)).status).to.equal(200);
  });

  it('seeds raw records (duplicates, converted leads) and lists them with Ids and system fields', async () => {
    await admin('POST', 'reset');
    const seeded = await admin('POST', 'records/Lead', [
      { LastName: 'A', Company: 'C', email: 'same@x.com' },
      { LastName: 'B', Company: 'C', Email: 'same@x.com', IsConverted: true },
    ]);
    expect(seeded.status).to.equal(201);
    expect(seeded.body[0]).to.include({ Email: 'same@x.com', IsDeleted: false, IsConverted: false });
    expect(seeded.body[0].Id).to.match(/^00Q[A-Za-z0-9]{15}$/);
    expect(seeded.body[1].IsConverted).to.equal(true);
    expect((await sf.query("SELECT Id FROM Lead WHERE Email = 'same@x.com'")).body.totalSize).to.equal(2);
    expect((await admin('GET', 'records/Nope')).status).to.equal(404);
  });

  it('settings and object definitions are validated', async () => {
    expect((await admin('POST', 'settings', { queryPageSize: 'ten' })).status).to.equal(400);
    expect((await admin('POST', 'settings', { bulkPollsBeforeComplete: 3 })).body.bulkPollsBeforeComplete).to.equal(3);
    expect((await admin('POST', 'objects', { name: 'Bad Name', fields: {} })).status).to.equal(400);
    expect((await admin('POST', 'objects', { name: 'Thing__c', fields: { X__c: { type: 'blob' } } })).status).to.equal(
      400,
    );
    expect((await admin('POST', 'faults', { kind: 'explode' })).status).to.equal(400);
    await admin('POST', 'reset');
  });

  it('an allOrNone rollback leaves no trace: the rolled-back record is not found by upsert afterwards', async () => {
    await admin('POST', 'reset');
    await admin('POST', 'faults', {
      kind: 'record',
      field: 'LastName',
      value: 'Bad',
      statusCode: 'UNABLE_TO_LOCK_ROW',
    });
    const r = await sf.call('POST', `${V}/composite/sobjects`, {
      allOrNone: true,
      records: [
        { attributes: { type: 'Lead' }, LastName: 'Good', Company: 'C', Email: 'gone@x.com' },
        { attributes: { type: 'Lead' }, LastName: 'Bad', Company: 'C' },
      ],
    });
    expect(r.body[0].errors[0].statusCode).to.equal('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    const up = await sf.call('PATCH', `${V}/sobjects/Lead/Email/gone@x.com`, { LastName: 'Again', Company: 'C' });
    expect(up.status).to.equal(201);
    expect((await admin('GET', 'records/Lead')).body.map((l: { LastName: string }) => l.LastName)).to.deep.equal([
      'Again',
    ]);
  });
});
