// `sfmap source sync` and `sfmap source status`: the Salesforce → warehouse sync from a terminal,
// once or as a service on a schedule.
import { collectionsOf, UnknownCollectionError } from '../source/collections.js';
import { openWarehouse } from '../source/open-warehouse.js';
import { progressHooks, runLogLine, summaryTable } from '../source/run-report.js';
import { serveMetrics } from '../observe/metrics-server.js';
import { BullMqScheduler } from '../source/bullmq-scheduler.js';
import { InProcessScheduler, type ScheduledSync, type Scheduler } from '../source/scheduler.js';
import { loadSyncConfig, SyncConfigError, type SourceConfig, type SyncConfig } from '../source/source-config.js';
import { openSyncClient, type SyncClient, type SyncClientDeps } from '../source/sync-client.js';
import { beginRun, runSource, syncStep, type RunSummary } from '../source/sync-run.js';
import { createLogger } from '../server/logger.js';
import { sharedStateFromEnv, type SharedState } from '../shared-state/shared-state.js';
import type { Warehouse } from '../source/warehouse.js';
import type { Io } from './io.js';

export interface SyncCommandOptions {
  config: string;
  once?: boolean;
  collections?: string[];
  /** true: every collection; a list: those. */
  fullRefresh?: string[] | true;
  source?: string;
  json?: boolean;
  /** `sfmap source worker`: service mode on BullMQ, REDIS_URL required. */
  worker?: boolean;
}

function load(file: string, io: Io): SyncConfig | undefined {
  try {
    return loadSyncConfig(file);
  } catch (err) {
    if (err instanceof SyncConfigError) {
      io.err(`${err.message}`);
      return undefined;
    }
    throw err;
  }
}

/** Checks --collections / --full-refresh names against every selected source before any call. */
function checkNames(config: SyncConfig, names: string[] | undefined, io: Io, flag: string): boolean {
  for (const s of config.sources) {
    try {
      collectionsOf({ include: s.collections, customObjects: s.customObjects, only: names });
    } catch (err) {
      if (!(err instanceof UnknownCollectionError)) throw err;
      io.err(`sfmap: ${flag}: ${err.message} (source "${s.nickname}")`);
      return false;
    }
  }
  return true;
}

async function runAll(
  config: SyncConfig,
  opts: SyncCommandOptions,
  io: Io,
  deps: SyncClientDeps,
): Promise<RunSummary[]> {
  const warehouse = await openWarehouse(config.warehouse);
  try {
    const out: RunSummary[] = [];
    for (const source of config.sources) out.push(await runOne(config, source.nickname, opts, io, warehouse, deps));
    return out;
  } finally {
    await warehouse.close();
  }
}

async function runOne(
  config: SyncConfig,
  nickname: string,
  opts: SyncCommandOptions,
  io: Io,
  warehouse: Awaited<ReturnType<typeof openWarehouse>>,
  deps: SyncClientDeps,
  signal?: AbortSignal,
): Promise<RunSummary> {
  const source = config.sources.find((s) => s.nickname === nickname);
  if (!source) throw new Error(`no source "${nickname}"`);
  const progress = opts.json ? { stop: () => undefined } : progressHooks();
  let summary: RunSummary;
  try {
    summary = await runSource(
      source,
      warehouse,
      { only: opts.collections, fullRefresh: opts.fullRefresh },
      { ...progress, signal },
      deps,
    );
  } catch (err) {
    summary = {
      source: source.nickname,
      schema: source.schema,
      warehouse: warehouse.label,
      startedAt: new Date().toISOString(),
      seconds: 0,
      calls: 0,
      error: `source "${source.nickname}": ${(err as Error).message}`,
      collections: [],
    };
  } finally {
    progress.stop();
  }
  if (!opts.json) io.out(summaryTable(summary));
  io.out(runLogLine(summary));
  return summary;
}

const failed = (s: RunSummary) => s.error !== undefined || s.collections.some((c) => c.status === 'failed');

/** Service mode's scheduler: BullMQ on the shared Redis when REDIS_URL is set, else the in-process timer. */
function schedulerFromEnv(io: Io, env: NodeJS.ProcessEnv = process.env): Scheduler {
  if (!env.REDIS_URL)
    return new InProcessScheduler((key) => io.err(`sfmap: source ${key}: a run is still going, this one is skipped`));
  const ms = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a whole number of milliseconds, not "${v}"`);
    return n;
  };
  return new BullMqScheduler({
    url: env.REDIS_URL,
    lockMs: ms('SYNC_JOB_LOCK_MS'),
    pauseMs: ms('SYNC_LIMIT_PAUSE_MS'),
    log: (level, message, fields) =>
      io.out(JSON.stringify({ level, message, ...fields, timestamp: new Date().toISOString() })),
  });
}

/** One source for a scheduler: whole runs in this process, or a run in steps spread over workers. */
function scheduledSync(
  config: SyncConfig,
  source: SourceConfig,
  opts: SyncCommandOptions,
  io: Io,
  warehouse: Warehouse,
  deps: SyncClientDeps,
): ScheduledSync {
  let client: Promise<SyncClient> | undefined;
  // One client per source and process: one login, reused by every job this process runs for it (a failed login is tried again next time).
  const clientOf = (): Promise<SyncClient> =>
    (client ??= openSyncClient(source, deps).catch((err: unknown) => {
      client = undefined;
      throw err;
    }));
  return {
    key: source.schema,
    intervalMs: config.everyHours * 3600_000,
    run: async (signal) => {
      await runOne(config, source.nickname, { ...opts, json: true }, io, warehouse, deps, signal);
    },
    begin: async (startedAt) =>
      beginRun(source, warehouse, await clientOf(), startedAt, {
        only: opts.collections,
        fullRefresh: opts.fullRefresh,
      }),
    collection: async (plan, step, signal) => syncStep(source, warehouse, await clientOf(), plan, step, { signal }),
  };
}

/** The API budget and sessions this process shares with delivery: through Redis when REDIS_URL is set. */
function sharedOf(env: NodeJS.ProcessEnv): SharedState {
  return sharedStateFromEnv(env, createLogger(env.LOG_LEVEL ?? 'warn'));
}

export async function syncCommand(
  opts: SyncCommandOptions,
  io: Io,
  scheduler?: Scheduler,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (opts.worker && !env.REDIS_URL) {
    io.err(
      'sfmap: source worker: set REDIS_URL (the Redis the workers share); without it, `sfmap source sync` runs the schedule in one process',
    );
    return 2;
  }
  const config = load(opts.config, io);
  if (!config) return 1;
  if (opts.source) {
    config.sources = config.sources.filter((s) => s.nickname === opts.source);
    if (config.sources.length === 0) {
      io.err(`sfmap: no source named "${opts.source}" in ${opts.config}`);
      return 2;
    }
  }
  if (!checkNames(config, opts.collections, io, '--collections')) return 2;
  if (Array.isArray(opts.fullRefresh) && !checkNames(config, opts.fullRefresh, io, '--full-refresh')) return 2;
  const shared = sharedOf(env);
  const deps = { budget: shared.budget, sessions: shared.sessions };
  try {
    if (opts.once) return (await runAll(config, opts, io, deps)).some(failed) ? 1 : 0;
    return await serve(config, opts, io, deps, scheduler, env);
  } finally {
    await shared.close();
  }
}

async function serve(
  config: SyncConfig,
  opts: SyncCommandOptions,
  io: Io,
  deps: SyncClientDeps,
  scheduler: Scheduler | undefined,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  // Service mode: the warehouse stays open; each source on its own schedule, one run of it at a time.
  const chosen = scheduler ?? schedulerFromEnv(io, env);
  const warehouse = await openWarehouse(config.warehouse);
  const how = env.REDIS_URL ? 'on BullMQ (REDIS_URL): any number of workers share the schedule' : 'in this process';
  io.err(
    `sfmap: syncing ${config.sources.length} source(s) into ${warehouse.label} every ${config.everyHours} h ${how}; Ctrl-C or SIGTERM stops after the page being committed`,
  );
  if (env.REDIS_URL && config.warehouse.type === 'duckdb')
    io.err('sfmap: note: a DuckDB file is locked by one process; with several sync workers use a PostgreSQL warehouse');
  const metrics = env.METRICS_PORT ? await serveMetrics(Number(env.METRICS_PORT)) : undefined;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  for (const s of config.sources) await chosen.schedule(scheduledSync(config, s, opts, io, warehouse, deps));
  await stopped;
  await chosen.stop();
  metrics?.close();
  await warehouse.close();
  return 0;
}

export async function statusCommand(opts: { config: string; json?: boolean }, io: Io): Promise<number> {
  const config = load(opts.config, io);
  if (!config) return 1;
  const warehouse = await openWarehouse(config.warehouse);
  try {
    const report = [];
    for (const s of config.sources) {
      const states = await warehouse.readStates(s.schema);
      const collections = collectionsOf({ include: s.collections, customObjects: s.customObjects });
      report.push({
        source: s.nickname,
        schema: s.schema,
        collections: collections.map((c) => ({ collection: c.name, object: c.object, ...states.get(c.name) })),
      });
    }
    if (opts.json) {
      io.out(`${JSON.stringify(report)}`);
      return 0;
    }
    for (const r of report) {
      io.out(`${r.source} → ${r.schema} (${warehouse.label})`);
      for (const c of r.collections) {
        const last = c.lastRun
          ? `${c.lastRun.at}  ${c.lastRun.upserted} upserted, ${c.lastRun.deleted} deleted, ${c.lastRun.calls} calls${c.lastRun.error ? `  FAILED: ${c.lastRun.error}` : ''}`
          : 'never synced';
        const cursor = c.cursor ? `cursor ${c.cursorField} ${c.cursor}` : c.lastRun ? 'full refresh (no cursor)' : '';
        io.out(
          `  ${c.collection.padEnd(32)} ${cursor.padEnd(50)} ${last}${c.bulk ? `  (Bulk job ${c.bulk.jobId} to resume)` : ''}`,
        );
      }
    }
    return 0;
  } finally {
    await warehouse.close();
  }
}
