// One run of one source: log in (the delivery layer's auth and host allowlist), discover, then sync
// each collection in turn. A collection's failure is reported with it and the others go on; a budget
// stop ends the run cleanly with every committed page kept.
import type { SalesforceClient } from '../deliver/salesforce-client.js';
import { observeCollection } from '../observe/metrics.js';
import { collectionsOf, type Collection } from './collections.js';
import { discover } from './discover.js';
import type { ObjectDescription } from './object-description.js';
import type { SourceConfig } from './source-config.js';
import { BudgetStop, openSyncClient, SyncClient, type ApiUsage, type SyncClientDeps } from './sync-client.js';
import { ShutdownStop, stopIfAsked } from './shutdown-stop.js';
import { syncCollection } from './sync-collection.js';
import type { Warehouse } from './warehouse.js';

export interface RunRequest {
  /** --collections: only these. */
  only?: string[];
  /** --full-refresh: these collections ignore their cursor (true: all of them). */
  fullRefresh?: string[] | true;
  /** The naive way, for the bench: REST only, one describe per object. */
  naive?: boolean;
}

export type CollectionStatus = 'synced' | 'skipped' | 'failed' | 'not run';

export interface CollectionSummary {
  collection: string;
  object: string;
  status: CollectionStatus;
  upserted: number;
  deleted: number;
  calls: number;
  seconds: number;
  kind?: 'incremental' | 'full';
  via?: string[];
  addedColumns?: string[];
  message?: string;
  notices: string[];
}

export interface RunSummary {
  source: string;
  schema: string;
  warehouse: string;
  startedAt: string;
  seconds: number;
  calls: number;
  apiUsage?: ApiUsage;
  /** Why the run stopped early (budget), when it did. */
  stopped?: string;
  /** Why nothing could sync (login refused, warehouse unreachable). */
  error?: string;
  collections: CollectionSummary[];
}

export interface RunHooks {
  onCollectionStart?(collection: Collection): void;
  onProgress?(collection: Collection, written: number, total?: number): void;
  onCollectionEnd?(summary: CollectionSummary): void;
  /** Fired when the process shuts down: the run stops after the page being committed (ShutdownStop). */
  signal?: AbortSignal;
}

/** A run's discovery as plain data: a scheduler may hand its steps to other processes (BullMQ jobs in Redis). */
export interface RunPlan {
  source: string;
  /** The run's window end for every collection: rows changed after it wait for the next run. */
  startedAt: string;
  steps: RunStep[];
}

export interface RunStep {
  collection: string;
  object: string;
  /** Discovery found it cannot sync this run (not queryable, missing, refused describe). */
  outcome?: { status: 'skipped' | 'failed'; message: string };
  described?: ObjectDescription;
  fullRefresh: boolean;
  naive?: boolean;
}

/** Discovery for a run: which collections sync and what each needs. Throws BudgetStop when the org's allowance stops it. */
export async function beginRun(
  source: SourceConfig,
  warehouse: Warehouse,
  client: SalesforceClient,
  started: Date,
  request: RunRequest = {},
): Promise<RunPlan> {
  const collections = collectionsOf({
    include: source.collections,
    customObjects: source.customObjects,
    only: request.only,
  });
  const refresh =
    request.fullRefresh === true ? new Set(collections.map((c) => c.name)) : new Set(request.fullRefresh ?? []);
  // Creates the schema and its state table before anything is read into it.
  await warehouse.readStates(source.schema);
  const discovery = await discover(client, collections, { describeOneByOne: request.naive });
  const steps = collections.map((c): RunStep => {
    const step: RunStep = {
      collection: c.name,
      object: c.object,
      fullRefresh: refresh.has(c.name),
      ...(request.naive ? { naive: true } : {}),
    };
    const skipped = discovery.skipped.get(c.name);
    const described = discovery.described.get(c.name);
    if (skipped) step.outcome = { status: 'skipped', message: skipped };
    else if (!described)
      step.outcome = { status: 'failed', message: discovery.problems.get(c.name) ?? 'not described' };
    else step.described = described;
    return step;
  });
  return { source: source.nickname, startedAt: started.toISOString(), steps };
}

function emptySummary(
  step: Pick<RunStep, 'collection' | 'object'>,
  status: CollectionStatus,
  message?: string,
): CollectionSummary {
  return {
    collection: step.collection,
    object: step.object,
    status,
    upserted: 0,
    deleted: 0,
    calls: 0,
    seconds: 0,
    notices: [],
    ...(message ? { message } : {}),
  };
}

/**
 * One collection of a begun run, resumed from its committed state (whoever ran it before, whichever
 * process). A failure is reported in the summary; a BudgetStop is thrown, with every page before it
 * committed, so the caller can stop the run or pause the org.
 */
export async function syncStep(
  source: SourceConfig,
  warehouse: Warehouse,
  client: SyncClient,
  plan: Pick<RunPlan, 'startedAt'>,
  step: RunStep,
  hooks: RunHooks = {},
): Promise<CollectionSummary> {
  const [collection] = collectionsOf({ customObjects: source.customObjects, only: [step.collection] });
  const callsBefore = client.calls;
  const c0 = performance.now();
  let s: CollectionSummary;
  if (step.outcome || !step.described) {
    s = emptySummary(step, step.outcome?.status ?? 'failed', step.outcome?.message ?? 'not described');
  } else {
    hooks.onCollectionStart?.(collection);
    try {
      const states = await warehouse.readStates(source.schema);
      const r = await syncCollection(
        {
          client,
          warehouse,
          schema: source.schema,
          options: {
            plan: { ...source.plan, fullRefresh: step.fullRefresh },
            bulk: source.bulk,
            bulkThreshold: source.bulkThreshold,
            restOnly: step.naive === true,
          },
          onProgress: (written, total) => hooks.onProgress?.(collection, written, total),
          signal: hooks.signal,
        },
        collection,
        step.described,
        states.get(step.collection),
        new Date(plan.startedAt),
      );
      s = {
        ...emptySummary(step, 'synced'),
        upserted: r.upserted,
        deleted: r.deleted,
        kind: r.kind,
        via: r.via,
        addedColumns: r.addedColumns,
        notices: r.notices,
      };
    } catch (err) {
      if (err instanceof BudgetStop || err instanceof ShutdownStop) {
        observeCollection(
          source.schema,
          step.collection,
          'stopped',
          client.calls - callsBefore,
          0,
          (performance.now() - c0) / 1000,
        );
        throw err;
      }
      s = emptySummary(step, 'failed', `${step.collection}: ${(err as Error).message}`);
    }
  }
  s.calls = client.calls - callsBefore;
  s.seconds = round((performance.now() - c0) / 1000);
  observeCollection(source.schema, step.collection, s.status, s.calls, s.upserted, s.seconds);
  await rememberRun(warehouse, source.schema, s, new Date(plan.startedAt));
  hooks.onCollectionEnd?.(s);
  return s;
}

export async function runSource(
  source: SourceConfig,
  warehouse: Warehouse,
  request: RunRequest = {},
  hooks: RunHooks = {},
  /** A client, or what to open one with (the process's shared budget and sessions). */
  clientOrDeps: SyncClient | SyncClientDeps = {},
  now: () => Date = () => new Date(),
): Promise<RunSummary> {
  const started = now();
  const t0 = performance.now();
  const summary: RunSummary = {
    source: source.nickname,
    schema: source.schema,
    warehouse: warehouse.label,
    startedAt: started.toISOString(),
    seconds: 0,
    calls: 0,
    collections: [],
  };
  let client = clientOrDeps instanceof SyncClient ? clientOrDeps : undefined;
  const finish = () => {
    summary.seconds = round((performance.now() - t0) / 1000);
    summary.calls = client?.calls ?? 0;
    summary.apiUsage = client?.usage;
    return summary;
  };

  let plan: RunPlan;
  try {
    client ??= await openSyncClient(source, clientOrDeps as SyncClientDeps);
    plan = await beginRun(source, warehouse, client, started, request);
  } catch (err) {
    const message = (err as Error).message;
    if (err instanceof BudgetStop) summary.stopped = message;
    else summary.error = `source "${source.nickname}": ${message}`;
    summary.collections = collectionsOf({
      include: source.collections,
      customObjects: source.customObjects,
      only: request.only,
    }).map((c) => emptySummary({ collection: c.name, object: c.object }, 'not run'));
    return finish();
  }

  for (const step of plan.steps) {
    if (summary.stopped) {
      summary.collections.push(
        emptySummary(step, 'not run', `the run stopped before this collection: ${summary.stopped}`),
      );
      continue;
    }
    try {
      stopIfAsked(hooks.signal);
      summary.collections.push(await syncStep(source, warehouse, client, plan, step, hooks));
    } catch (err) {
      if (!(err instanceof BudgetStop || err instanceof ShutdownStop)) throw err;
      summary.stopped = err.message;
      const s = emptySummary(step, 'not run', `${step.collection}: ${err.message}`);
      summary.collections.push(s);
      hooks.onCollectionEnd?.(s);
    }
  }
  return finish();
}

/** The collection's last run, kept with its state for `sfmap source status`. */
async function rememberRun(warehouse: Warehouse, schema: string, c: CollectionSummary, started: Date): Promise<void> {
  const states = await warehouse.readStates(schema);
  const lastRun = {
    at: started.toISOString(),
    upserted: c.upserted,
    deleted: c.deleted,
    calls: c.calls,
    seconds: c.seconds,
    ...(c.status !== 'synced' ? { error: c.message } : {}),
  };
  await warehouse.commit({
    schema,
    table: c.collection,
    columns: [],
    rows: [],
    bulk: false,
    state: { collection: c.collection, value: { ...states.get(c.collection), lastRun } },
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
