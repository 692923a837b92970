// Source syncs on BullMQ, used when REDIS_URL is set: every sync worker process runs this, and
// Redis decides who does what.
// - One queue per source with a global concurrency of 1: across all workers at most one of its jobs
//   runs at a time, so an org never has two runs (or two collections) going at once.
// - One job scheduler per source ("run", every `intervalMs`; upserted by every worker, idempotent).
//   A run job discovers and adds one job per collection; their ids come from the run's scheduled time,
//   so a run job retried after its worker died adds nothing twice.
// - A worker killed mid-job stops renewing its lock; after `lockMs` another worker takes the job back
//   and the sync resumes from the cursor committed with the last page.
// - When the org's API allowance stops a job (403 REQUEST_LIMIT_EXCEEDED, or the budget), the
//   source's queue is rate-limited until the next window and the job goes back to waiting.
// - On shutdown (SIGTERM) a running collection stops after the page being committed and its job goes
//   back to the queue at once, so another worker resumes it from that page's cursor.
import { DelayedError, Queue, RateLimitError, Worker, type Job } from 'bullmq';
import { ShutdownStop } from './shutdown-stop.js';
import { BudgetStop } from './sync-client.js';
import type { ScheduledSync, Scheduler } from './scheduler.js';
import type { RunPlan, RunStep } from './sync-run.js';

export interface BullMqSchedulerOptions {
  url: string;
  /** Redis key prefix of every queue. */
  prefix?: string;
  /** A dead worker's job is taken over after this long (BullMQ's lock duration); SYNC_JOB_LOCK_MS. */
  lockMs?: number;
  /** How long an org's queue pauses when its allowance stopped a job and nothing says better; SYNC_LIMIT_PAUSE_MS. */
  pauseMs?: number;
  log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void;
}

interface CollectionJob {
  run: Pick<RunPlan, 'source' | 'startedAt'>;
  step: RunStep;
}

/** Finished jobs stay a week: long enough for a retried run job to find its collections' ids, bounded in number. */
const KEEP = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
};
const DEFAULT_LOCK_MS = 30_000;
const DEFAULT_PAUSE_MS = 60 * 60_000;

export class BullMqScheduler implements Scheduler {
  private readonly queues: Queue[] = [];
  private readonly workers: Worker[] = [];
  private readonly shutdown = new AbortController();

  constructor(private readonly options: BullMqSchedulerOptions) {}

  async schedule(sync: ScheduledSync): Promise<void> {
    const connection = { url: this.options.url };
    const prefix = this.options.prefix ?? 'sfmap';
    const name = `sync-${sync.key}`;
    const queue = new Queue(name, { connection, prefix });
    this.queues.push(queue);
    await queue.setGlobalConcurrency(1);
    await queue.upsertJobScheduler('run', { every: sync.intervalMs }, { name: 'run', opts: KEEP });
    const lockMs = this.options.lockMs ?? DEFAULT_LOCK_MS;
    const worker = new Worker(name, (job, token) => this.process(sync, queue, job, token), {
      connection,
      prefix,
      concurrency: 1,
      lockDuration: lockMs,
      stalledInterval: Math.max(250, Math.floor(lockMs / 2)),
      // Each takeover after a dead worker counts as a stall; a job only fails for it after many deaths in a row.
      maxStalledCount: 10,
    });
    worker.on('failed', (job, err) =>
      this.options.log('error', 'sync job failed', { queue: name, job: job?.name, jobId: job?.id, error: err.message }),
    );
    worker.on('error', (err) => this.options.log('error', 'sync worker error', { queue: name, error: err.message }));
    this.workers.push(worker);
  }

  async stop(): Promise<void> {
    // Running jobs stop after their current page and go back to the queue; queued ones stay in Redis for the other workers.
    this.shutdown.abort();
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all(this.queues.map((q) => q.close()));
  }

  private async process(sync: ScheduledSync, queue: Queue, job: Job, token: string | undefined): Promise<unknown> {
    try {
      if (job.name === 'run') return await this.plan(sync, queue, job);
      const { run, step } = job.data as CollectionJob;
      this.options.log('info', 'sync collection started', {
        source: sync.key,
        run: run.startedAt,
        collection: step.collection,
        worker: process.pid,
        takeover: job.stalledCounter > 0,
      });
      const s = await sync.collection(run, step, this.shutdown.signal);
      this.options.log(s.status === 'failed' ? 'error' : 'info', 'sync collection', {
        source: sync.key,
        run: run.startedAt,
        worker: process.pid,
        ...s,
      });
      return { status: s.status, upserted: s.upserted, deleted: s.deleted, calls: s.calls };
    } catch (err) {
      if (err instanceof ShutdownStop) {
        // Handed back, not failed: due now, for whichever worker is still running.
        await job.moveToDelayed(Date.now(), token);
        this.options.log('info', 'sync collection handed back: this worker is shutting down', {
          source: sync.key,
          job: job.name,
          jobId: job.id,
          worker: process.pid,
        });
        throw new DelayedError();
      }
      if (!(err instanceof BudgetStop)) throw err;
      // Our own budget knows when calls are possible again; Salesforce's refusal does not say.
      const pauseMs =
        err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : (this.options.pauseMs ?? DEFAULT_PAUSE_MS);
      await queue.rateLimit(pauseMs);
      this.options.log('warn', "sync paused for the org's API allowance", {
        source: sync.key,
        job: job.name,
        jobId: job.id,
        pausedSeconds: Math.round(pauseMs / 1000),
        reason: err.message,
      });
      // Back to waiting without spending an attempt; the queue's rate limit holds it until the window.
      throw new RateLimitError();
    }
  }

  /** A run job: discovery, then one job per collection (skipped while the previous run still has some). */
  private async plan(sync: ScheduledSync, queue: Queue, job: Job): Promise<unknown> {
    // The scheduled time, the same for every attempt of this job: it ends the run's window and names its jobs.
    const at = Math.min(job.timestamp + (job.delay || 0), Date.now());
    const runId = String(job.timestamp + (job.delay || 0));
    const pending = (await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized'])).filter(
      (j) => j.name === 'collection' && !j.id?.startsWith(`${runId}-`),
    );
    if (pending.length > 0) {
      this.options.log('warn', 'sync run skipped: the previous run still has collections to sync', {
        source: sync.key,
        pending: pending.length,
      });
      return { skipped: true };
    }
    const plan = await sync.begin(new Date(at));
    const data = (step: RunStep): CollectionJob => ({ run: { source: plan.source, startedAt: plan.startedAt }, step });
    await queue.addBulk(
      plan.steps.map((step) => ({
        name: 'collection',
        data: data(step),
        opts: { jobId: `${runId}-${step.collection}`, ...KEEP },
      })),
    );
    this.options.log('info', 'sync run planned', {
      source: sync.key,
      run: plan.startedAt,
      collections: plan.steps.length,
      worker: process.pid,
    });
    return { collections: plan.steps.length };
  }
}
