// When sync runs happen in service mode, behind one small interface: the in-process timer (the
// default, one process, no extra services) or BullMQ on Redis (bullmq-scheduler.ts, when REDIS_URL
// is set) — the sync does not know which.
import type { CollectionSummary, RunPlan, RunStep } from './sync-run.js';

/** One source as a scheduler sees it: a whole run for one process, or a run in steps for many. */
export interface ScheduledSync {
  /** Stable and unique per source (its warehouse schema); names its queue. */
  key: string;
  intervalMs: number;
  /** The whole run in this process (the in-process scheduler); `signal` stops it after the page being committed. */
  run(signal: AbortSignal): Promise<void>;
  /** Discovery: the run's collections, as plain data a job can carry. */
  begin(startedAt: Date): Promise<RunPlan>;
  /**
   * One collection of a begun run, resumed from its committed state; throws BudgetStop when the org's
   * allowance stops it, ShutdownStop when `signal` fires (after the page being committed).
   */
  collection(
    plan: Pick<RunPlan, 'source' | 'startedAt'>,
    step: RunStep,
    signal: AbortSignal,
  ): Promise<CollectionSummary>;
}

export interface Scheduler {
  /**
   * Runs the source now and then every `intervalMs`. Never two runs of the same source at once: a
   * tick that finds the previous run still going is skipped (and reported).
   */
  schedule(sync: ScheduledSync): Promise<void>;
  /** No new runs; the running ones stop after the page being committed; resolves when they have (or, distributed, are handed back). */
  stop(): Promise<void>;
}

export class InProcessScheduler implements Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;
  private readonly shutdown = new AbortController();

  constructor(
    private readonly onSkip: (key: string) => void = () => undefined,
    private readonly onError: (key: string, err: unknown) => void = () => undefined,
  ) {}

  schedule(sync: ScheduledSync): Promise<void> {
    const { key } = sync;
    if (this.timers.has(key)) throw new Error(`"${key}" is already scheduled`);
    const tick = () => {
      if (this.stopped) return;
      if (this.running.has(key)) {
        this.onSkip(key);
        return;
      }
      const run = sync
        .run(this.shutdown.signal)
        .catch((err: unknown) => this.onError(key, err))
        .finally(() => this.running.delete(key));
      this.running.set(key, run);
    };
    this.timers.set(key, setInterval(tick, sync.intervalMs));
    tick();
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearInterval(t);
    this.timers.clear();
    this.shutdown.abort();
    await Promise.all(this.running.values());
  }
}
