import { expect } from 'chai';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { Client, useEmulator, V } from './client.js';

describe('emulator as a source org: queryAll, paging, ORDER BY, datetime cursors, limits', () => {
  let emulator: RunningEmulator;
  let sf: Client;
  useEmulator((e, c) => {
    emulator = e;
    sf = c;
  });

  const stamp = (minute: number): string => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000+0000`;
  const seedLeads = (n: number): void => {
    emulator.state.seed(
      'Lead',
      Array.from({ length: n }, (_, i) => ({
        LastName: `L${i}`,
        Company: 'C',
        SystemModstamp: stamp(i),
        LastModifiedDate: stamp(i),
        CreatedDate: stamp(0),
      })),
    );
  };
  const queryAll = (soql: string, headers: Record<string, string> = {}) =>
    sf.call('GET', `${V}/queryAll?q=${encodeURIComponent(soql)}`, undefined, headers);

  it('queryAll includes soft-deleted rows with IsDeleted = true; query does not', async () => {
    seedLeads(3);
    const [first] = emulator.state.list('Lead');
    expect((await sf.call('DELETE', `${V}/sobjects/Lead/${first.Id}`)).status).to.equal(204);
    const live = await sf.query('SELECT Id, IsDeleted FROM Lead');
    expect(live.body.totalSize).to.equal(2);
    const all = await queryAll('SELECT Id, IsDeleted, SystemModstamp, LastModifiedDate, CreatedDate FROM Lead');
    expect(all.status).to.equal(200);
    expect(all.body.totalSize).to.equal(3);
    const deleted = all.body.records.find((r: { Id: string }) => r.Id === first.Id);
    expect(deleted).to.include({ IsDeleted: true });
    expect(deleted.attributes).to.deep.equal({ type: 'Lead', url: `${V}/sobjects/Lead/${first.Id}` });
    // The delete moved SystemModstamp to now, past every seeded stamp.
    expect(deleted.SystemModstamp > stamp(59)).to.equal(true);
  });

  it('filters on SystemModstamp with >= and < datetime literals (Z or offset) and orders by it', async () => {
    seedLeads(10);
    const r = await queryAll(
      'SELECT Id, LastName, SystemModstamp FROM Lead WHERE SystemModstamp >= 2026-01-01T00:03:00Z AND SystemModstamp < 2026-01-01T02:07:00+02:00 ORDER BY SystemModstamp DESC',
    );
    expect(r.status).to.equal(200);
    expect(r.body.records.map((x: { LastName: string }) => x.LastName)).to.deep.equal(['L6', 'L5', 'L4', 'L3']);
    const asc = await sf.query(
      'SELECT LastName FROM Lead WHERE SystemModstamp > 2026-01-01T00:07:00.000Z ORDER BY SystemModstamp ASC, Id LIMIT 1',
    );
    expect(asc.body.records.map((x: { LastName: string }) => x.LastName)).to.deep.equal(['L8']);
    // A bare date on a datetime field is refused as Salesforce does.
    const bare = await sf.query('SELECT Id FROM Lead WHERE SystemModstamp >= 2026-01-01');
    expect(bare.status).to.equal(400);
    expect(bare.body[0].errorCode).to.equal('INVALID_FIELD');
    expect(bare.body[0].message).to.contain('must be of type dateTime');
    const count = await sf.query('SELECT COUNT() FROM Lead WHERE SystemModstamp >= 2026-01-01T00:05:00Z');
    expect(count.body).to.deep.equal({ totalSize: 5, done: true, records: [] });
  });

  it('pages with nextRecordsUrl: default 2000 rows, fewer with Sforce-Query-Options batchSize (floor 200)', async () => {
    seedLeads(0);
    emulator.state.seed(
      'Lead',
      Array.from({ length: 2300 }, (_, i) => ({ LastName: `P${i}`, Company: 'C' })),
    );
    const first = await queryAll('SELECT Id FROM Lead');
    expect(first.body).to.include({ totalSize: 2300, done: false });
    expect(first.body.records).to.have.length(2000);
    expect(first.body.nextRecordsUrl).to.match(/^\/services\/data\/v66\.0\/query\/01g\w+-2000$/);
    const second = await sf.call('GET', first.body.nextRecordsUrl);
    expect(second.body).to.include({ totalSize: 2300, done: true });
    expect(second.body.records).to.have.length(300);
    expect(second.body.nextRecordsUrl).to.equal(undefined);

    const small = await queryAll('SELECT Id FROM Lead ORDER BY LastName', { 'Sforce-Query-Options': 'batchSize=500' });
    expect(small.body.records).to.have.length(500);
    const ids = new Set<string>(small.body.records.map((x: { Id: string }) => x.Id));
    let next: string | undefined = small.body.nextRecordsUrl;
    let pages = 1;
    while (next) {
      const page = await sf.call('GET', next);
      for (const x of page.body.records) ids.add(x.Id);
      next = page.body.nextRecordsUrl;
      pages++;
    }
    expect(pages).to.equal(5);
    expect(ids.size).to.equal(2300);
    const tiny = await sf.query('SELECT Id FROM Lead');
    expect(tiny.body.records).to.have.length(2000);
    const floor = await sf.call('GET', `${V}/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`, undefined, {
      'Sforce-Query-Options': 'batchSize=10',
    });
    expect(floor.body.records).to.have.length(200);
  });

  it('answers Sforce-Limit-Info on every API answer and DailyApiRequests in GET /limits', async () => {
    const a = await sf.query('SELECT Id FROM Lead');
    expect(a.headers.get('sforce-limit-info')).to.equal('api-usage=1/15000');
    const bad = await sf.query('SELECT Nope FROM Lead');
    expect(bad.status).to.equal(400);
    expect(bad.headers.get('sforce-limit-info')).to.equal('api-usage=2/15000');
    const limits = await sf.call('GET', `${V}/limits`);
    // The /limits call itself is counted once it has been answered.
    expect(limits.body.DailyApiRequests).to.deep.equal({ Max: 15000, Remaining: 14998 });
    expect(limits.body.DailyBulkV2QueryJobs.Max).to.equal(10000);
  });

  it('past the daily maximum answers 403 REQUEST_LIMIT_EXCEEDED until the count is lowered', async () => {
    const res = await fetch(`${emulator.url}/__emulator/limits`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiMax: 100, apiUsed: 99 }),
    });
    expect(res.status).to.equal(200);
    const last = await sf.query('SELECT Id FROM Lead');
    expect(last.status).to.equal(200);
    expect(last.headers.get('sforce-limit-info')).to.equal('api-usage=100/100');
    const refused = await sf.query('SELECT Id FROM Lead');
    expect(refused.status).to.equal(403);
    expect(refused.body).to.deep.equal([
      { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' },
    ]);
    expect((await sf.call('GET', `${V}/limits`)).status).to.equal(403);
    emulator.state.limits.set({ apiUsed: 0 });
    expect((await sf.query('SELECT Id FROM Lead')).status).to.equal(200);
    const badLimit = await fetch(`${emulator.url}/__emulator/limits`, {
      method: 'POST',
      body: JSON.stringify({ apiMax: -1 }),
    });
    expect(badLimit.status).to.equal(400);
  });
});
