// Three `sfmap source worker` processes share one schedule through BullMQ on a real redis-server and
// sync the emulator into a real PostgreSQL. One is SIGKILLed in the middle of the leads: another takes
// the job over and resumes from the committed cursor. Every collection ends synced exactly once, one
// collection at a time, and the tables equal a one-process run's. A worker sent SIGTERM stops after
// the page it is committing and hands its job back.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { runSource } from '../../src/source/sync-run.js';
import { startSourceOrg, type SourceOrg } from '../source/source-org.js';
import { postgresWarehouses, tableOf, type TestWarehouse } from '../source/warehouses.js';
import { freePort } from '../support/free-port.js';
import { onJsonLogLines } from '../support/json-log-lines.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const LEADS = 600;
const COLLECTIONS = ['accounts', 'contacts', 'leads', 'opportunities', 'cases'];
const EXPECTED = [...COLLECTIONS, 'invoice__c'];

interface Worker {
  child: ChildProcess;
  pid: number;
  metricsPort: number;
  logs: Array<Record<string, unknown>>;
  exited: Promise<number | string>;
}

function startWorker(configFile: string, redisUrl: string, metricsPort: number): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'source', 'worker', '-c', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // A dead worker's job is taken over after 1.5 s instead of 30.
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      SYNC_JOB_LOCK_MS: '1500',
      METRICS_PORT: String(metricsPort),
      ALLOWED_SALESFORCE_HOSTS: '',
    },
  });
  const logs: Array<Record<string, unknown>> = [];
  onJsonLogLines(child.stdout, (entry) => logs.push(entry));
  child.stderr?.resume();
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, pid: child.pid ?? 0, metricsPort, logs, exited };
}

async function until<T>(what: string, ms: number, probe: () => T | undefined | false): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** The workers' config file: the org's source with the CLI's credential names, into `warehouse`. */
function writeConfig(file: string, org: SourceOrg, extra: Record<string, unknown>, warehouse: unknown): string {
  writeFileSync(file, JSON.stringify(org.raw(extra, warehouse)));
  return file;
}

describe('source sync on BullMQ: 3 workers, one killed mid-collection (redis-server, PostgreSQL, emulator)', function () {
  this.timeout(120_000);
  let redis: TestRedis;
  let org: SourceOrg;
  let pg: TestWarehouse;
  let dir: string;
  const workers: Worker[] = [];

  before(async () => {
    [redis, org, pg] = await Promise.all([
      startRedis(),
      startSourceOrg({ clock: 'real', leads: LEADS }),
      postgresWarehouses(),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'sfmap-workers-'));
    // Everything the org has is older than the run's window end.
    await sleep(1100);
  });
  after(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await Promise.all([redis?.stop(), org?.close(), pg?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('syncs every collection exactly once, one at a time, resuming the killed one from its cursor', async () => {
    // No lookback: the takeover's smaller read shows it resumed from the committed cursor.
    const extra = { collections: COLLECTIONS, lookbackSeconds: 0 };
    const target = await pg.fresh();
    const file = writeConfig(join(dir, 'sync.json'), org, extra, target.config);

    // Slow the query pages so the kill lands in the middle of the leads (12 pages of 50).
    org.emulator.state.addFault({ pathRegex: '/(query|queryAll)/.+', kind: 'latency', ms: 150, times: 1000 });
    for (let i = 0; i < 3; i++) workers.push(startWorker(file, redis.url, await freePort()));
    const all = (): Array<Record<string, unknown>> => workers.flatMap((w) => w.logs.map((l) => ({ ...l, pid: w.pid })));

    const leadsWorker = await until('a worker to start the leads', 60_000, () =>
      workers.find((w) => w.logs.some((l) => l.message === 'sync collection started' && l.collection === 'leads')),
    );
    await until(
      '4 pages of leads',
      30_000,
      () => (org.emulator.state.getStats().byPath['GET query/:locator'] ?? 0) >= 4,
    );
    leadsWorker.child.kill('SIGKILL');
    expect(await leadsWorker.exited).to.equal('SIGKILL');
    org.emulator.state.clearFaults();

    const done = () => all().filter((l) => l.message === 'sync collection');
    await until('every collection synced', 60_000, () =>
      EXPECTED.every((name) => done().some((l) => l.collection === name)),
    );
    // Nothing else runs once the last collection is done (a late duplicate would show here).
    await sleep(2000);

    const finished = done();
    for (const name of EXPECTED) {
      const lines = finished.filter((l) => l.collection === name);
      expect(lines, `${name} synced once`).to.have.length(1);
      expect(lines[0].status, name).to.equal('synced');
    }
    const leads = finished.find((l) => l.collection === 'leads')!;
    expect(leads.pid, 'a surviving worker finished the leads').to.not.equal(leadsWorker.pid);
    expect(leads.upserted, 'resumed from the committed cursor, not from the start')
      .to.be.greaterThan(0)
      .and.lessThan(LEADS);
    expect(
      all().filter((l) => l.message === 'sync run planned'),
      'one run planned',
    ).to.have.length(1);

    // One collection at a time across the workers: no start between another's start and its end
    // (the killed worker's start has no end; the takeover is the next start).
    const events = all()
      .filter((l) => l.message === 'sync collection started' || l.message === 'sync collection')
      .sort((a, b) => Date.parse(a.timestamp as string) - Date.parse(b.timestamp as string));
    let open: Record<string, unknown> | undefined;
    for (const e of events) {
      if (e.message === 'sync collection started') {
        if (open)
          expect(open.pid, `${String(e.collection)} started while ${String(open.collection)} ran elsewhere`).to.equal(
            leadsWorker.pid,
          );
        open = e;
      } else {
        expect(open?.collection, 'ends the collection that started').to.equal(e.collection);
        open = undefined;
      }
    }

    // Each survivor exposes its per-collection sync metrics.
    const survivor = workers.find((w) => w.pid === leads.pid)!;
    const metrics = await (await fetch(`http://127.0.0.1:${survivor.metricsPort}/metrics`)).text();
    expect(metrics).to.match(
      new RegExp(`sfbridge_sync_rows_total\\{source="sfdc",collection="leads"\\} ${String(leads.upserted)}`),
    );
    expect(metrics).to.match(/sfbridge_sync_api_calls_total\{source="sfdc",collection="leads"\} \d+/);
    expect(metrics).to.match(
      /sfbridge_sync_duration_seconds_count\{source="sfdc",collection="leads",status="synced"\} 1/,
    );

    // The same org synced by one process, uninterrupted.
    const reference = await pg.fresh();
    const [w, rw] = await Promise.all([target.open(), reference.open()]);
    try {
      const summary = await runSource(org.config(extra, reference.config).sources[0], rw);
      expect(summary.collections.map((x) => x.status)).to.deep.equal(EXPECTED.map(() => 'synced'));
      for (const table of EXPECTED) expect(await tableOf(w, table), table).to.equal(await tableOf(rw, table));
      expect(JSON.parse(await tableOf(w, 'leads'))).to.have.length(LEADS);
    } finally {
      await Promise.all([w.close(), rw.close()]);
    }

    // SIGTERM: the survivors stop cleanly.
    for (const x of workers) if (x !== leadsWorker) x.child.kill('SIGTERM');
    expect(await Promise.all(workers.filter((x) => x !== leadsWorker).map((x) => x.exited))).to.deep.equal([0, 0]);
  });

  it('SIGTERM mid-collection: the worker stops after its page, exits 0, and another resumes the job', async () => {
    // A Redis of its own: the first test's schedule would not run again for hours.
    const ownRedis = await startRedis();
    const extra = { collections: ['accounts', 'leads'], lookbackSeconds: 0 };
    const target = await pg.fresh();
    const file = writeConfig(join(dir, 'sync-term.json'), org, extra, target.config);
    const pagesBefore = org.emulator.state.getStats().byPath['GET query/:locator'] ?? 0;
    org.emulator.state.addFault({ pathRegex: '/(query|queryAll)/.+', kind: 'latency', ms: 500, times: 1000 });
    const pair: Worker[] = [];
    try {
      for (let i = 0; i < 2; i++) pair.push(startWorker(file, ownRedis.url, await freePort()));
      workers.push(...pair);
      const logs = (): Array<Record<string, unknown>> => pair.flatMap((w) => w.logs.map((l) => ({ ...l, pid: w.pid })));
      const leadsWorker = await until('a worker to start the leads', 60_000, () =>
        pair.find((w) => w.logs.some((l) => l.message === 'sync collection started' && l.collection === 'leads')),
      );
      await until(
        '2 pages of leads',
        30_000,
        () => (org.emulator.state.getStats().byPath['GET query/:locator'] ?? 0) >= pagesBefore + 2,
      );
      const termAt = Date.now();
      leadsWorker.child.kill('SIGTERM');
      expect(await leadsWorker.exited, 'a clean exit').to.equal(0);
      // The nine pages left at 500 ms each would take 4.5 s: it stopped after the page it was committing.
      expect(Date.now() - termAt, 'stopped after its page, not at the end of the collection').to.be.lessThan(3500);
      expect(
        leadsWorker.logs.some((l) => l.message === 'sync collection handed back: this worker is shutting down'),
      ).to.equal(true);
      expect(
        leadsWorker.logs.some((l) => l.message === 'sync collection' && l.collection === 'leads'),
        'the stopping worker did not finish the leads',
      ).to.equal(false);
      org.emulator.state.clearFaults();

      const other = pair.find((w) => w !== leadsWorker)!;
      const leads = await until('the other worker to finish the leads', 60_000, () =>
        other.logs.find((l) => l.message === 'sync collection' && l.collection === 'leads'),
      );
      expect(leads.status).to.equal('synced');
      expect(leads.upserted, 'resumed from the committed cursor').to.be.greaterThan(0).and.lessThan(LEADS);
      expect(logs().filter((l) => l.message === 'sync collection' && l.collection === 'leads')).to.have.length(1);

      const w = await target.open();
      try {
        expect(JSON.parse(await tableOf(w, 'leads'))).to.have.length(LEADS);
      } finally {
        await w.close();
      }
      other.child.kill('SIGTERM');
      expect(await other.exited).to.equal(0);
    } finally {
      org.emulator.state.clearFaults();
      for (const w of pair) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await Promise.all(pair.map((w) => w.exited));
      await ownRedis.stop();
    }
  });
});
