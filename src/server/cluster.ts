// Every core: Node's cluster. The primary forks WORKERS workers (default: one per core) that share
// the port, starts another when one dies, and is the only process that watches the mappings folder:
// after each reload it tells every worker to reload too, so one edit reaches them all. Workers report
// what they loaded; the primary sends the list to every worker, so /health in any of them shows all.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type winston from 'winston';
import type { MappingStore } from '../mapping/mapping-store.js';
import { watchMappings, type MappingWatcher } from '../mapping/watch.js';

/** What /health says about one worker. */
export interface WorkerState {
  id: number;
  pid: number;
  /** The worker's mapping-store generation: after a reload every worker's goes up. */
  generation: number;
  problems: number;
  since: string;
}

/** What a serving process knows about the cluster it belongs to (for /health). */
export interface ClusterView {
  snapshot(): { expected: number; running: number; self: number; workers: WorkerState[] };
}

type ToWorker = { sf: 'reload' } | { sf: 'workers'; expected: number; workers: WorkerState[] };
type ToPrimary = { sf: 'loaded'; generation: number; problems: number };

const MAX_WORKERS = 256;

/** WORKERS=n, else one worker per core. 1 means no cluster: the process serves by itself. */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WORKERS?.trim();
  if (raw === undefined || raw === '') return availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS)
    throw new Error(`WORKERS must be a whole number from 1 to ${MAX_WORKERS}, got "${raw}"`);
  return n;
}

/** A worker that dies this soon after starting is restarted after a pause, not in a tight loop. */
const EARLY_EXIT_MS = 5_000;
const RESTART_PAUSE_MS = 1_000;

export interface Primary {
  watcher?: MappingWatcher;
  /** Stops restarting workers and asks each to finish (SIGTERM); resolves when all have exited. */
  stop(): Promise<void>;
}

/** Runs in the primary: forks and supervises the workers; serves nothing itself. */
export function runPrimary(count: number, store: MappingStore, logger: winston.Logger, watch: boolean): Primary {
  const states = new Map<number, WorkerState>();
  let stopping = false;

  const broadcast = (message: ToWorker) => {
    for (const w of Object.values(cluster.workers ?? {})) if (w?.isConnected()) w.send(message);
  };
  const announce = () => broadcast({ sf: 'workers', expected: count, workers: [...states.values()] });

  const fork = () => {
    const started = Date.now();
    const worker = cluster.fork();
    states.set(worker.id, {
      id: worker.id,
      pid: worker.process.pid ?? 0,
      generation: 0,
      problems: 0,
      since: new Date(started).toISOString(),
    });
    worker.on('message', (m: ToPrimary) => {
      if (m?.sf !== 'loaded') return;
      const s = states.get(worker.id);
      if (!s) return;
      s.generation = m.generation;
      s.problems = m.problems;
      announce();
    });
    worker.on('exit', (code, signal) => {
      states.delete(worker.id);
      announce();
      if (stopping) return;
      const early = Date.now() - started < EARLY_EXIT_MS;
      logger.warn('worker exited; starting another', {
        pid: worker.process.pid,
        code,
        signal,
        pauseMs: early ? RESTART_PAUSE_MS : 0,
      });
      if (early) setTimeout(() => stopping || fork(), RESTART_PAUSE_MS).unref();
      else fork();
    });
  };
  for (let i = 0; i < count; i++) fork();
  logger.info('cluster started', { workers: count, pid: process.pid });

  const watcher = watch ? watchMappings(store, { logger, onReload: () => broadcast({ sf: 'reload' }) }) : undefined;
  return {
    watcher,
    async stop() {
      stopping = true;
      await watcher?.close();
      const alive = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined && !w.isDead());
      await Promise.all(
        alive.map(
          (w) =>
            new Promise<void>((resolve) => {
              w!.once('exit', () => resolve());
              w!.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

/** Runs in a worker: reloads when the primary says so and keeps the primary's list for /health. */
export function joinCluster(store: MappingStore, logger: winston.Logger): ClusterView {
  let expected = 1;
  let workers: WorkerState[] = [];
  const report = () =>
    process.send?.({ sf: 'loaded', generation: store.generation, problems: store.problems.length } satisfies ToPrimary);
  process.on('message', (m: ToWorker) => {
    if (m?.sf === 'reload') {
      try {
        store.load();
      } catch (err) {
        logger.warn('mappings reload failed; the loaded mappings keep serving', { error: (err as Error).message });
      }
      report();
    } else if (m?.sf === 'workers') {
      expected = m.expected;
      workers = m.workers;
    }
  });
  report();
  const self = cluster.worker?.id ?? 0;
  return { snapshot: () => ({ expected, running: workers.length, self, workers }) };
}
