// Operations with `bulk: true` go through Bulk API 2.0 jobs: few calls, per-row outcomes
// correlated by content although results come back shuffled, heterogeneous updates that leave
// unmentioned fields alone, and honest outcomes for jobs that fail or outlive their deadline.
import { expect } from 'chai';
import { executeEvents } from '../../src/deliver/execute.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import type { FieldValue, Operation } from '../../src/operation/operation.js';
import { emulatorClient } from './emulator-client.js';

const upsert = (key: string, fields: Record<string, FieldValue>): { operations: Operation[] } => ({
  operations: [
    {
      mapping: 'contact',
      object: 'Contact',
      operation: 'upsert',
      externalId: { field: 'Ext__c', value: key },
      fields,
      bulk: true,
      http: [],
    },
  ],
});
const update = (id: string, fields: Record<string, FieldValue>): { operations: Operation[] } => ({
  operations: [
    { mapping: 'contact', object: 'Contact', operation: 'update', recordId: id, fields, bulk: true, http: [] },
  ],
});
const fast = { bulkPoll: { initialIntervalMs: 1, maxIntervalMs: 5, deadlineMs: 5_000 } };

describe('executeEvents: Bulk API 2.0 against the emulator', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({
      seed: 11,
      objects: [{ name: 'Contact', fields: { Ext__c: { type: 'string', length: 40, externalId: true } } }],
    });
  });
  after(async () => {
    await emulator.close();
  });
  beforeEach(() => emulator.state.reset());

  it('1,000 external-id upserts in ≤ 10 calls, each event told what happened to its own row', async () => {
    emulator.state.seed(
      'Contact',
      Array.from({ length: 300 }, (_, i) => ({ Ext__c: `k${i}`, LastName: `Old${i}`, Phone: `p${i}` })),
    );
    emulator.state.addRecordFault({
      object: 'Contact',
      field: 'LastName',
      value: 'Refused',
      statusCode: 'DUPLICATES_DETECTED',
    });
    emulator.state.addRecordFault({
      object: 'Contact',
      field: 'LastName',
      value: 'Locked',
      statusCode: 'UNABLE_TO_LOCK_ROW',
    });
    const name = (i: number): string => (i % 97 === 5 ? 'Refused' : i % 89 === 3 ? 'Locked' : `N${i}, "quoted"\n${i}`);
    const events = Array.from({ length: 1000 }, (_, i) => upsert(`k${i}`, { LastName: name(i) }));
    const out = await executeEvents(events, emulatorClient(emulator), fast);
    expect(emulator.state.getStats().apiCalls).to.be.at.most(10);
    const contacts = emulator.state.list('Contact');
    out.forEach((o, i) => {
      const stored = contacts.filter((c) => c.Ext__c === `k${i}`);
      expect(stored, `k${i}`).to.have.length(i < 300 || o.statusCode === 200 ? 1 : 0);
      if (name(i) === 'Refused') {
        expect(o, `k${i}`).to.deep.include({ statusCode: 400, errorCode: 'DUPLICATES_DETECTED' });
      } else if (name(i) === 'Locked') {
        expect(o, `k${i}`).to.deep.include({ statusCode: 500, errorCode: 'UNABLE_TO_LOCK_ROW' });
      } else {
        expect(o.statusCode, `k${i}: ${o.error}`).to.equal(200);
        expect(o.results).to.deep.equal([{ object: 'Contact', id: stored[0].Id, created: i >= 300 }]);
        expect(stored[0].LastName).to.equal(name(i));
        if (i < 300) expect(stored[0].Phone).to.equal(`p${i}`);
      }
    });
  });

  it('big batches become several jobs; a size threshold sends plain operations through Bulk when allowed', async () => {
    const plain = Array.from({ length: 700 }, (_, i) => {
      const e = upsert(`t${i}`, { LastName: `T${i}` });
      delete e.operations[0].bulk;
      return e;
    });
    const out = await executeEvents(plain, emulatorClient(emulator), {
      ...fast,
      bulkThreshold: 500,
      bulkMaxRecords: 300,
    });
    expect(out.every((o) => o.statusCode === 200)).to.equal(true);
    expect(emulator.state.bulk.list()).to.have.length(3);
    expect(emulator.state.list('Contact')).to.have.length(700);
    emulator.state.reset();
    await executeEvents(plain.slice(0, 10), emulatorClient(emulator), { ...fast, bulkThreshold: 500 });
    expect(emulator.state.bulk.list()).to.have.length(0);
  });

  it('two events for one key merge into one row; if that row is refused, each is replayed alone', async () => {
    emulator.state.addRecordFault({ object: 'Contact', field: 'Title', value: 'bad', statusCode: 'STRING_TOO_LONG' });
    const out = await executeEvents(
      [
        upsert('m1', { LastName: 'First' }),
        upsert('m1', { Title: 'bad' }),
        upsert('m2', { LastName: 'Second' }),
        upsert('m2', { Title: 'ok' }),
      ],
      emulatorClient(emulator),
      fast,
    );
    expect(out.map((o) => o.statusCode)).to.deep.equal([200, 400, 200, 200]);
    expect(out[1].errorCode).to.equal('STRING_TOO_LONG');
    const contacts = emulator.state.list('Contact');
    expect(contacts.map((c) => [c.Ext__c, c.LastName, c.Title ?? null])).to.have.deep.members([
      ['m1', 'First', null],
      ['m2', 'Second', 'ok'],
    ]);
    expect(out[0].results![0].created).to.equal(true);
    expect(out[3].results![0]).to.deep.equal({ object: 'Contact', id: out[2].results![0].id, created: false });
  });

  it('a heterogeneous update never clears a field the event did not mention; null clears', async () => {
    const seeded = emulator.state.seed(
      'Contact',
      Array.from({ length: 3 }, (_, i) => ({ LastName: `L${i}`, Phone: `p${i}`, Title: `t${i}`, Department: `d${i}` })),
    );
    const ids = seeded.map((r) => String(r.Id));
    const out = await executeEvents(
      [
        update(ids[0], { Phone: 'new0' }),
        update(ids[1], { Title: 'new1', Department: null }),
        update(ids[2], { Department: 'new2' }),
      ],
      emulatorClient(emulator),
      fast,
    );
    expect(out.map((o) => o.statusCode)).to.deep.equal([200, 200, 200]);
    const [a, b, c] = ids.map((id) => emulator.state.get('Contact', id)!);
    expect([a.LastName, a.Phone, a.Title, a.Department]).to.deep.equal(['L0', 'new0', 't0', 'd0']);
    expect([b.LastName, b.Phone, b.Title, b.Department ?? null]).to.deep.equal(['L1', 'p1', 'new1', null]);
    expect([c.LastName, c.Phone, c.Title, c.Department]).to.deep.equal(['L2', 'p2', 't2', 'new2']);
    expect(emulator.state.getStats().byPath).to.satisfy((p: Record<string, number>) =>
      Object.keys(p).some((k) => k.includes('jobs/ingest')),
    );
  });

  it('a job still running at the deadline is aborted: its rows are retryable and nothing is written', async () => {
    emulator.state.configure({ bulkPollsBeforeComplete: 1_000 });
    const out = await executeEvents(
      Array.from({ length: 5 }, (_, i) => upsert(`late${i}`, { LastName: 'Late' })),
      emulatorClient(emulator),
      { bulkPoll: { initialIntervalMs: 5, maxIntervalMs: 10, deadlineMs: 100 } },
    );
    expect(out.map((o) => o.statusCode)).to.deep.equal([500, 500, 500, 500, 500]);
    expect(out[0].error).to.match(/did not finish in time/);
    expect(emulator.state.list('Contact')).to.have.length(0);
    expect(emulator.state.bulk.list().map((j) => j.state)).to.deep.equal(['Aborted']);
  });

  it('a field Salesforce refuses fails the job as a whole; the rows that did not send it go again, once', async () => {
    const out = await executeEvents(
      [upsert('x1', { LastName: 'A', NoSuchField__c: 'v' }), upsert('x2', { LastName: 'B' })],
      emulatorClient(emulator),
      fast,
    );
    expect(out.map((o) => o.statusCode)).to.deep.equal([400, 200]);
    expect(out[0].error).to.match(/NoSuchField__c/);
    expect(emulator.state.list('Contact').map((c) => c.LastName)).to.deep.equal(['B']);
    expect(emulator.state.bulk.list().map((j) => j.state)).to.deep.equal(['Failed', 'JobComplete']);
  });

  it('fields that differ only in letter case are refused before a job is created', async () => {
    const out = await executeEvents(
      [upsert('y1', { LastName: 'A' }), upsert('y2', { lastname: 'B' })],
      emulatorClient(emulator),
      fast,
    );
    expect(out.map((o) => o.statusCode)).to.deep.equal([400, 400]);
    expect(emulator.state.getStats().apiCalls).to.equal(0);
  });
});
