// One collection's run: ensure its table, finish an interrupted Bulk read, read the planned window
// (REST pages, or a Bulk job when it is a first load or turns out large), re-read formula fields
// when due. Every page is deduplicated by Id and committed with the state it advances, so a crash
// at any moment loses nothing and doubles nothing.
import type { SalesforceClient } from '../deliver/salesforce-client.js';
import { createQueryJob, readResults, waitForJob, type BulkOptions } from './bulk-query-reader.js';
import type { Collection } from './collections.js';
import type { ObjectDescription } from './object-description.js';
import { readRest } from './rest-reader.js';
import { stopIfAsked } from './shutdown-stop.js';
import { convertRow, type ValueSource } from './row-values.js';
import { planCollection, type Column, type CollectionPlan, type PlanOptions, type Read } from './sync-plan.js';
import type { CollectionState } from './sync-state.js';
import type { TextValue, Warehouse } from './warehouse.js';

export interface CollectionSyncOptions {
  plan: PlanOptions;
  bulk: BulkOptions;
  /** An increment with more rows than this is read through Bulk instead of REST pages. */
  bulkThreshold: number;
  /** The naive way, for the bench: REST only. */
  restOnly: boolean;
}

export interface CollectionContext {
  client: SalesforceClient;
  warehouse: Warehouse;
  schema: string;
  options: CollectionSyncOptions;
  /** Rows written so far and the expected total when known (progress bars). */
  onProgress?: (written: number, total?: number) => void;
  /** Fired when the process shuts down: the collection stops after the page being committed. */
  signal?: AbortSignal;
}

export interface CollectionResult {
  upserted: number;
  deleted: number;
  addedColumns: string[];
  notices: string[];
  /** How the rows were read: `rest`, `bulk`, or both when a resumed job came first. */
  via: string[];
  kind: CollectionPlan['kind'];
}

export async function syncCollection(
  ctx: CollectionContext,
  collection: Collection,
  described: ObjectDescription,
  initial: CollectionState | undefined,
  runStart: Date,
): Promise<CollectionResult> {
  stopIfAsked(ctx.signal);
  let state: CollectionState = { ...initial };
  let plan = planCollection(collection, described, state, runStart, ctx.options.plan);
  const result: CollectionResult = {
    upserted: 0,
    deleted: 0,
    addedColumns: [],
    notices: [...plan.notices],
    via: [],
    kind: plan.kind,
  };
  result.addedColumns = await ctx.warehouse.ensureTable({
    schema: ctx.schema,
    table: plan.table,
    columns: plan.columns,
  });
  const what = `${collection.name} (${described.name})`;

  const commit = async (
    columns: Column[],
    records: Record<string, unknown>[],
    source: ValueSource,
    next: CollectionState,
    purpose: 'rows' | 'formulas',
    bulk: boolean,
  ) => {
    const rows = dedupeById(records);
    const values: TextValue[][] = [];
    for (const r of rows) {
      const converted = convertRow(described.name, r, columns, source);
      if (converted.strippedNul.length > 0) {
        result.notices.push(
          `${described.name} ${String(r.Id)}: NUL bytes removed from ${converted.strippedNul.join(', ')}`,
        );
      }
      values.push(converted.values);
    }
    await ctx.warehouse.commit({
      schema: ctx.schema,
      table: plan.table,
      columns,
      rows: values,
      state: { collection: collection.name, value: next },
      bulk,
    });
    state = next;
    if (purpose === 'rows') {
      result.upserted += values.length;
      const deletedAt = columns.findIndex((c) => c.field === 'IsDeleted');
      if (deletedAt >= 0) result.deleted += values.filter((v) => v[deletedAt] === 'true').length;
    }
    ctx.onProgress?.(result.upserted);
    stopIfAsked(ctx.signal);
  };

  /** Reads one Bulk job's results from `locator` to the end, committing each page with the job's place. */
  const readBulkJob = async (read: Read, job: NonNullable<CollectionState['bulk']>): Promise<void> => {
    for await (const page of readResults(ctx.client, job.jobId, job.locator, what, ctx.options.bulk)) {
      const done = page.next === null;
      const next: CollectionState = done
        ? finished(state, plan, job.purpose, job.windowEnd)
        : { ...state, bulk: { ...job, locator: page.next } };
      await commit(read.columns, page.records, 'csv', next, job.purpose, job.purpose === 'rows');
    }
  };

  const startBulk = async (read: Read, soql: string, purpose: 'rows' | 'formulas'): Promise<void> => {
    const jobId = await createQueryJob(ctx.client, soql, what);
    // The job is remembered before its results are read: a crash while it runs resumes it instead of paying for another.
    const job = { jobId, locator: null, windowEnd: plan.windowEnd, purpose };
    // With the cursor field it belongs to: a resume must read what this job reads.
    const withJob: CollectionState = { ...state, cursorField: plan.cursorField, bulk: job };
    await ctx.warehouse.commit({
      schema: ctx.schema,
      table: plan.table,
      columns: [],
      rows: [],
      state: { collection: collection.name, value: withJob },
      bulk: false,
    });
    state = withJob;
    await waitForJob(ctx.client, jobId, what, ctx.options.bulk);
    result.via.push('bulk');
    await readBulkJob(read, job);
  };

  const runRead = async (read: Read, purpose: 'rows' | 'formulas'): Promise<void> => {
    if (read.via === 'bulk' && !ctx.options.restOnly) {
      await startBulk(read, read.soql, purpose);
      return;
    }
    let first = true;
    for await (const page of readRest(ctx.client, read.soql, what)) {
      if (first) {
        first = false;
        ctx.onProgress?.(result.upserted, page.totalSize);
        // A large increment costs fewer calls as one Bulk job than as pages of 2,000.
        if (page.totalSize > ctx.options.bulkThreshold && read.bulkSoql && !ctx.options.restOnly) {
          await startBulk(read, read.bulkSoql, purpose);
          return;
        }
        result.via.push('rest');
      }
      const last = page.records[page.records.length - 1];
      const cursorValue = read.ordered && plan.cursorField && last ? last[plan.cursorField] : undefined;
      const next: CollectionState =
        purpose === 'rows' && typeof cursorValue === 'string'
          ? { ...state, cursorField: plan.cursorField, cursor: normaliseInstant(cursorValue) }
          : state;
      await commit(read.columns, page.records, 'json', next, purpose, false);
    }
    const end = finished(state, plan, purpose, plan.windowEnd);
    await ctx.warehouse.commit({
      schema: ctx.schema,
      table: plan.table,
      columns: [],
      rows: [],
      state: { collection: collection.name, value: end },
      bulk: false,
    });
    state = end;
  };

  if (plan.resume) {
    const job = plan.resume;
    result.via.push('bulk (resumed)');
    await readBulkJob(job.purpose === 'rows' ? plan.rows : { ...plan.rows, columns: formulaColumns(plan) }, job);
    // The interrupted window is complete; read from there to now like any run.
    plan = planCollection(collection, described, state, runStart, ctx.options.plan);
  }
  await runRead(plan.rows, 'rows');
  if (plan.formulas) await runRead(plan.formulas, 'formulas');
  return result;
}

/** The state after a read completes: the cursor moves to the window's end, a Bulk job is forgotten. */
function finished(
  state: CollectionState,
  plan: CollectionPlan,
  purpose: 'rows' | 'formulas',
  windowEnd: string,
): CollectionState {
  const { bulk: _done, ...rest } = state;
  if (purpose === 'formulas') return { ...rest, formulasReadAt: windowEnd };
  const next: CollectionState = { ...rest, cursorField: plan.cursorField };
  if (plan.cursorField) next.cursor = windowEnd;
  // A full read reads formula fields too.
  if (plan.kind === 'full') next.formulasReadAt = windowEnd;
  return next;
}

function formulaColumns(plan: CollectionPlan): Column[] {
  return plan.formulas?.columns ?? plan.columns.filter((c) => c.field === 'Id');
}

/** SystemModstamp is not unique and a window overlaps the last one: keep each Id once, its latest version last. */
function dedupeById<T extends Record<string, unknown>>(records: T[]): T[] {
  const byId = new Map<unknown, T>();
  for (const r of records) {
    byId.delete(r.Id);
    byId.set(r.Id, r);
  }
  return [...byId.values()];
}

function normaliseInstant(value: string): string {
  const t = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}
