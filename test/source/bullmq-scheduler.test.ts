// The BullMQ scheduler against a real redis-server: a 403 REQUEST_LIMIT_EXCEEDED pauses that org's
// queue until the next window (no call reaches Salesforce for it meanwhile, and no attempt is
// spent), while another org's queue keeps syncing; after the pause the run completes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { BullMqScheduler } from '../../src/source/bullmq-scheduler.js';
import { DuckDbWarehouse } from '../../src/source/duckdb-warehouse.js';
import type { ScheduledSync } from '../../src/source/scheduler.js';
import type { SourceConfig } from '../../src/source/source-config.js';
import { openSyncClient } from '../../src/source/sync-client.js';
import { beginRun, syncStep } from '../../src/source/sync-run.js';
import type { Warehouse } from '../../src/source/warehouse.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { startSourceOrg, type SourceOrg } from './source-org.js';

const PAUSE_MS = 5000;

function scheduled(source: SourceConfig, warehouse: Warehouse): ScheduledSync {
  const client = openSyncClient(source, {}, {});
  return {
    key: source.schema,
    intervalMs: 3 * 3600_000,
    run: () => Promise.reject(new Error('BullMQ runs steps')),
    begin: async (at) => beginRun(source, warehouse, await client, at),
    collection: async (plan, step) => syncStep(source, warehouse, await client, plan, step),
  };
}

describe('source sync on BullMQ: REQUEST_LIMIT_EXCEEDED pauses the org (redis-server, emulator)', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let org: SourceOrg;
  let dir: string;

  before(async () => {
    [redis, org] = await Promise.all([startRedis(), startSourceOrg({ clock: 'real', leads: 20 })]);
    dir = mkdtempSync(join(tmpdir(), 'sfmap-bullmq-'));
  });
  after(async () => {
    await Promise.all([redis?.stop(), org?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("holds the refused org's jobs for the pause, lets the other org sync, then completes", async () => {
    const warehouse = await DuckDbWarehouse.open(join(dir, 'w.duckdb'));
    const logs: Array<Record<string, unknown> & { at: number }> = [];
    const scheduler = new BullMqScheduler({
      url: redis.url,
      pauseMs: PAUSE_MS,
      lockMs: 2000,
      log: (level, message, fields) => logs.push({ level, message, ...fields, at: Date.now() }),
    });
    const limited = org.source({ collections: ['accounts', 'contacts'], customObjects: [] });
    const other = org.source({ collections: ['accounts', 'contacts'], customObjects: [], schema: 'sfdc_other' });
    // The first query of the run is refused: the org's daily quota is used up.
    org.emulator.state.addFault({
      pathRegex: '/queryAll',
      kind: 'error',
      status: 403,
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
      times: 1,
    });
    try {
      await scheduler.schedule(scheduled(limited, warehouse));
      const paused = await waitFor(logs, (l) => l.message === "sync paused for the org's API allowance", 30_000);
      await scheduler.schedule(scheduled(other, warehouse));
      const done = (source: string) => logs.filter((l) => l.message === 'sync collection' && l.source === source);
      await waitFor(logs, () => done('sfdc').length === 2 && done('sfdc_other').length === 2, 40_000);

      expect(paused.source).to.equal('sfdc');
      expect(paused.pausedSeconds).to.equal(PAUSE_MS / 1000);
      expect(
        logs.filter((l) => l.message === "sync paused for the org's API allowance"),
        'one pause',
      ).to.have.length(1);
      // The other org synced while this one waited; this one resumed only after the pause.
      const resumed = Math.min(
        ...logs
          .filter((l) => l.message === 'sync collection started' && l.source === 'sfdc')
          .map((l) => l.at)
          .filter((t) => t > paused.at),
      );
      expect(resumed - paused.at, 'no job of the paused org started before the window').to.be.greaterThan(
        PAUSE_MS - 500,
      );
      expect(Math.max(...done('sfdc_other').map((l) => l.at)), 'the other org was not held').to.be.lessThan(resumed);
      for (const s of ['sfdc', 'sfdc_other']) {
        expect(
          done(s)
            .map((l) => [l.collection, l.status])
            .sort(),
          s,
        ).to.deep.equal([
          ['accounts', 'synced'],
          ['contacts', 'synced'],
        ]);
      }
      expect(
        logs.filter((l) => l.message === 'sync job failed'),
        'the pause spent no attempt',
      ).to.deep.equal([]);
    } finally {
      await scheduler.stop();
      await warehouse.close();
    }
  });
});

async function waitFor<T extends Record<string, unknown>>(logs: T[], match: (l: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const hit = logs.find(match);
    if (hit) return hit;
    if (Date.now() > end) throw new Error(`timed out; logs: ${JSON.stringify(logs.map((l) => l.message))}`);
    await sleep(50);
  }
}
