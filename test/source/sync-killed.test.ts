// A sync killed mid-collection (SIGKILL: no chance to clean up) and restarted ends with the same
// tables as one that was never interrupted: every page was committed with its cursor, and re-read
// rows are upserted, never doubled.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { SyncConfig } from '../../src/source/source-config.js';
import { runSource } from '../../src/source/sync-run.js';
import { startSourceOrg, type SourceOrg } from './source-org.js';
import { duckdbWarehouses, postgresWarehouses, tableOf, type TestWarehouse } from './warehouses.js';

const ROWS = 600;
const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

function sync(configFile: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, 'source', 'sync', '--once', '--json', '-c', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ALLOWED_SALESFORCE_HOSTS: '' },
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, out })));
}

for (const make of [duckdbWarehouses, postgresWarehouses]) {
  describe(`source sync killed mid-collection, into ${make === duckdbWarehouses ? 'DuckDB' : 'PostgreSQL'}`, function () {
    this.timeout(90_000);
    let org: SourceOrg;
    let factory: TestWarehouse;
    let dir: string;

    before(async () => {
      org = await startSourceOrg({ clock: 'real', leads: ROWS });
      factory = await make();
      dir = mkdtempSync(join(tmpdir(), 'sfmap-kill-'));
      // Everything the org has is older than the first run's window end.
      await sleep(1100);
    });
    after(async () => {
      await factory?.stop();
      await org?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('restarts from the last committed page and ends identical to an uninterrupted sync', async () => {
      // No lookback, so the restart's smaller read shows it resumed from the committed cursor.
      const collections = { collections: ['accounts', 'contacts', 'leads'], lookbackSeconds: 0 };
      const killed = await factory.fresh();
      const file = join(dir, 'sync.json');
      const config: SyncConfig = org.config(collections, killed.config);
      writeFileSync(file, JSON.stringify(org.raw(collections, killed.config)));
      expect(config.sources[0].schema).to.equal('sfdc');

      // Slow the leads' pages down so the kill lands in the middle of them.
      org.emulator.state.addFault({ pathRegex: '/(query|queryAll)/.+', kind: 'latency', ms: 40, times: 1000 });
      const child = sync(file);
      const done = exited(child);
      for (let i = 0; i < 600; i++) {
        const { byPath } = org.emulator.state.getStats();
        if ((byPath['GET queryAll/:locator'] ?? 0) + (byPath['GET query/:locator'] ?? 0) >= 4) break;
        await sleep(25);
      }
      child.kill('SIGKILL');
      const first = await done;
      expect(first.signal, first.out).to.equal('SIGKILL');
      org.emulator.state.clearFaults();

      const w = await killed.open();
      const partial = JSON.parse(await tableOf(w, 'leads')) as unknown[];
      const state = (await w.readStates('sfdc')).get('leads');
      expect(partial.length).to.be.greaterThan(0).and.lessThan(ROWS);
      expect(state?.cursor, 'the cursor of the last committed page').to.be.a('string');

      // The restart (in this process: a new run over the same warehouse) reads from the last committed cursor, not from the start.
      const restarted = await runSource(config.sources[0], w);
      const leads = restarted.collections.find((c) => c.collection === 'leads');
      expect(leads?.status).to.equal('synced');
      expect(leads?.upserted).to.be.lessThan(ROWS);

      const reference = await factory.fresh();
      const rw = await reference.open();
      const summary = await runSource(org.config(collections, reference.config).sources[0], rw);
      expect(summary.collections.every((c) => c.status === 'synced')).to.equal(true);
      try {
        for (const table of ['accounts', 'contacts', 'leads'])
          expect(await tableOf(w, table), table).to.equal(await tableOf(rw, table));
        expect(JSON.parse(await tableOf(w, 'leads'))).to.have.length(ROWS);
      } finally {
        await w.close();
        await rw.close();
      }
    });
  });
}
