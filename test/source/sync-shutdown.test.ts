// Service mode on one process: SIGTERM (the scheduler's stop) ends a running sync after the page it
// is committing. The next run resumes from that page's cursor and ends with the same tables as a sync
// that was never stopped.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { InProcessScheduler, type ScheduledSync } from '../../src/source/scheduler.js';
import { runSource } from '../../src/source/sync-run.js';
import { startSourceOrg, type SourceOrg } from './source-org.js';
import { duckdbWarehouses, tableOf, type TestWarehouse } from './warehouses.js';

const ROWS = 600;

describe('source sync stopped by shutdown (one process, DuckDB)', function () {
  this.timeout(60_000);
  let org: SourceOrg;
  let factory: TestWarehouse;

  before(async () => {
    [org, factory] = await Promise.all([startSourceOrg({ clock: 'real', leads: ROWS }), duckdbWarehouses()]);
    await sleep(1100);
  });
  after(async () => {
    await factory?.stop();
    await org?.close();
  });

  it('stops after the committed page, the rest "not run"; the next run resumes and matches an unstopped sync', async () => {
    const extra = { collections: ['leads', 'accounts'], lookbackSeconds: 0 };
    const stopped = await factory.fresh();
    const w = await stopped.open();
    const source = org.config(extra, stopped.config).sources[0];
    const shutdown = new AbortController();
    let pagesAfterStop = 0;
    const summary = await runSource(
      source,
      w,
      {},
      {
        signal: shutdown.signal,
        onProgress: (c, written) => {
          if (shutdown.signal.aborted) pagesAfterStop++;
          if (c.name === 'leads' && written > 0) shutdown.abort();
        },
      },
    );
    try {
      expect(summary.stopped).to.match(/shutting down/);
      expect(pagesAfterStop, 'no page after the one being committed').to.equal(0);
      const leadsAt = summary.collections.findIndex((c) => c.collection === 'leads');
      expect(
        summary.collections.slice(leadsAt).every((c) => c.status === 'not run'),
        'leads and every collection after it',
      ).to.equal(true);
      const partial = JSON.parse(await tableOf(w, 'leads')) as unknown[];
      expect(partial.length).to.be.greaterThan(0).and.lessThan(ROWS);
      expect((await w.readStates('sfdc')).get('leads')?.cursor, 'the page committed with its cursor').to.be.a('string');

      const resumed = await runSource(source, w);
      expect(resumed.collections.every((c) => c.status === 'synced')).to.equal(true);
      expect(
        resumed.collections.find((c) => c.collection === 'leads')?.upserted,
        'resumed from the cursor',
      ).to.be.lessThan(ROWS);

      const reference = await factory.fresh();
      const rw = await reference.open();
      try {
        await runSource(org.config(extra, reference.config).sources[0], rw);
        for (const table of ['leads', 'accounts'])
          expect(await tableOf(w, table), table).to.equal(await tableOf(rw, table));
      } finally {
        await rw.close();
      }
    } finally {
      await w.close();
    }
  });

  it("the in-process scheduler's stop() fires the signal its running sync was given", async () => {
    const scheduler = new InProcessScheduler();
    let seen: AbortSignal | undefined;
    const sync: ScheduledSync = {
      key: 'k',
      intervalMs: 60_000,
      run: (signal) => {
        seen = signal;
        return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      },
      begin: () => Promise.reject(new Error('not used')),
      collection: () => Promise.reject(new Error('not used')),
    };
    await scheduler.schedule(sync);
    expect(seen?.aborted).to.equal(false);
    await scheduler.stop();
    expect(seen?.aborted).to.equal(true);
  });
});
