// `sfmap source sync` and `sfmap source status`: the Salesforce → warehouse sync from a terminal,
// once or as a service on a schedule.
import { collectionsOf, UnknownCollectionError } from '../source/collections.js';
import { openWarehouse } from '../source/open-warehouse.js';
import { progressHooks, runLogLine, summaryTable } from '../source/run-report.js';
import { InProcessScheduler, type Scheduler } from '../source/scheduler.js';
import { loadSyncConfig, SyncConfigError, type SyncConfig } from '../source/source-config.js';
import { runSource, type RunSummary } from '../source/sync-run.js';
import type { Io } from './io.js';

export interface SyncCommandOptions {
  config: string;
  once?: boolean;
  collections?: string[];
  /** true: every collection; a list: those. */
  fullRefresh?: string[] | true;
  source?: string;
  json?: boolean;
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

async function runAll(config: SyncConfig, opts: SyncCommandOptions, io: Io): Promise<RunSummary[]> {
  const warehouse = await openWarehouse(config.warehouse);
  try {
    const out: RunSummary[] = [];
    for (const source of config.sources) out.push(await runOne(config, source.nickname, opts, io, warehouse));
    return out;
  } finally {
    await warehouse.close();
  }
}

async function runOne(config: SyncConfig, nickname: string, opts: SyncCommandOptions, io: Io, warehouse: Awaited<ReturnType<typeof openWarehouse>>): Promise<RunSummary> {
  const source = config.sources.find((s) => s.nickname === nickname);
  if (!source) throw new Error(`no source "${nickname}"`);
  const progress = opts.json ? { stop: () => undefined } : progressHooks();
  let summary: RunSummary;
  try {
    summary = await runSource(source, warehouse, { only: opts.collections, fullRefresh: opts.fullRefresh }, progress);
  } catch (err) {
    summary = { source: source.nickname, schema: source.schema, warehouse: warehouse.label, startedAt: new Date().toISOString(), seconds: 0, calls: 0, error: `source "${source.nickname}": ${(err as Error).message}`, collections: [] };
  } finally {
    progress.stop();
  }
  if (!opts.json) io.out(summaryTable(summary));
  io.out(runLogLine(summary));
  return summary;
}

const failed = (s: RunSummary) => s.error !== undefined || s.collections.some((c) => c.status === 'failed');

export async function syncCommand(opts: SyncCommandOptions, io: Io, scheduler: Scheduler = new InProcessScheduler()): Promise<number> {
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
  if (opts.once) return (await runAll(config, opts, io)).some(failed) ? 1 : 0;

  // Service mode: the warehouse stays open; each source on its own schedule, one run of it at a time.
  const warehouse = await openWarehouse(config.warehouse);
  io.err(`sfmap: syncing ${config.sources.length} source(s) into ${warehouse.label} every ${config.everyHours} h; Ctrl-C stops after the running syncs commit`);
  for (const s of config.sources) {
    scheduler.schedule(s.nickname, config.everyHours * 3600_000, async () => {
      await runOne(config, s.nickname, { ...opts, json: true }, io, warehouse);
    });
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await scheduler.stop();
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
      report.push({ source: s.nickname, schema: s.schema, collections: collections.map((c) => ({ collection: c.name, object: c.object, ...states.get(c.name) })) });
    }
    if (opts.json) {
      io.out(`${JSON.stringify(report)}`);
      return 0;
    }
    for (const r of report) {
      io.out(`${r.source} → ${r.schema} (${warehouse.label})`);
      for (const c of r.collections) {
        const last = c.lastRun ? `${c.lastRun.at}  ${c.lastRun.upserted} upserted, ${c.lastRun.deleted} deleted, ${c.lastRun.calls} calls${c.lastRun.error ? `  FAILED: ${c.lastRun.error}` : ''}` : 'never synced';
        const cursor = c.cursor ? `cursor ${c.cursorField} ${c.cursor}` : c.lastRun ? 'full refresh (no cursor)' : '';
        io.out(`  ${c.collection.padEnd(32)} ${cursor.padEnd(50)} ${last}${c.bulk ? `  (Bulk job ${c.bulk.jobId} to resume)` : ''}`);
      }
    }
    return 0;
  } finally {
    await warehouse.close();
  }
}
