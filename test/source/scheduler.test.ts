// Service mode's scheduler: a run right away, then on the interval; never two runs of one source at
// once; stop() waits for the running ones.
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { InProcessScheduler, type ScheduledSync } from '../../src/source/scheduler.js';

const only = (key: string, intervalMs: number, run: () => Promise<void>): ScheduledSync => ({
  key,
  intervalMs,
  run,
  begin: () => Promise.reject(new Error('the in-process scheduler runs whole runs')),
  collection: () => Promise.reject(new Error('the in-process scheduler runs whole runs')),
});

describe('source scheduler (in process)', () => {
  it('runs at once and on the interval, skips a tick while the same key still runs, and stop() waits', async () => {
    const skipped: string[] = [];
    const scheduler = new InProcessScheduler((key) => skipped.push(key));
    let slowRuns = 0;
    let fastRuns = 0;
    let slowFinished = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    void scheduler.schedule(
      only('slow', 20, async () => {
        slowRuns++;
        await gate;
        slowFinished++;
      }),
    );
    void scheduler.schedule(
      only('fast', 20, async () => {
        fastRuns++;
      }),
    );
    expect(() => scheduler.schedule(only('fast', 20, async () => undefined))).to.throw(/already scheduled/);
    await sleep(100);
    const stopped = scheduler.stop();
    expect(slowFinished).to.equal(0);
    release();
    await stopped;
    expect(slowRuns).to.equal(1);
    expect(slowFinished, 'stop() waited for the running sync').to.equal(1);
    expect(fastRuns).to.be.greaterThan(1);
    expect(skipped.filter((k) => k === 'slow').length).to.be.greaterThan(0);
    expect(skipped).to.not.include('fast');
  });
});
