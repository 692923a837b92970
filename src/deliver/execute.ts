// Delivers the operations of many events to one Salesforce org with as few API calls as keep each
// event's meaning, and gives each event exactly one outcome. One event or a thousand take the same
// path, in rounds:
//   1. route: each operation is a direct write (known Id, native external-id upsert, plain create)
//      or needs a lookup;
//   2. lookups: one SOQL per object and match shape (plan/lookup-plan.ts), records assigned back as
//      a query of its own would have found them (plan/lookup-resolve.ts): 1 → update (or the
//      converted lead's Contact), 0 → create or "no record", several → abort;
//   3. writes: same-record writes merged (plan/record-merge.ts), sent in waves through sObject
//      Collections (plan/write-plan.ts) or Bulk API 2.0 jobs (bulk-job.ts); a merged write that
//      fails is replayed one event at a time, so one event's bad value never fails another;
//   4. outcomes: the worst outcome of an event's operations is the event's.
import type { FieldValue, Match, Operation } from '../operation/operation.js';
import { classifyError, classifyRecordErrors, classifyResponse, severalMatches, type Outcome } from './classify.js';
import type { SalesforceClient, SfResponse } from './salesforce-client.js';
import { queryPath } from '../salesforce/api-paths.js';
import { planLookups, type LookupRequest } from '../plan/lookup-plan.js';
import { assignRecords, comparable, typeFor, type FoundRecord } from '../plan/lookup-resolve.js';
import type { ObjectCatalog, ObjectMetadata } from '../salesforce/object-metadata.js';
import { mergeWrites, type WriteIntent, type WriteUnit } from '../plan/record-merge.js';
import { planCollectionCalls, readCollectionResults, type RecordResult } from '../plan/write-plan.js';
import { BulkCsvError, buildBulkCsv, type CsvRecord } from '../plan/bulk-csv.js';
import { splitBulkError } from '../plan/bulk-results.js';
import { runBulkJob, type BulkJobRow, type BulkOperation, type BulkPollOptions } from './bulk-job.js';

export type WriteResult = { object: string; id: string; created: boolean };
export type EventOutcome = Outcome & { results?: WriteResult[] };

export interface ExecuteOptions {
  /** Calls in flight at once (lookups, collections calls, bulk jobs). */
  concurrency?: number;
  /** Budget for one lookup's URL-encoded SOQL. */
  maxEncodedQueryLength?: number;
  /** Writes of one kind and object in one wave at or above this count go through Bulk API 2.0 even without `bulk: true`. */
  bulkThreshold?: number;
  /** Rows per Bulk job (Salesforce allows more; the product keeps jobs at the size its users tune for). */
  bulkMaxRecords?: number;
  /** CSV bytes per Bulk job (Salesforce's limit is 100 MB per upload). */
  bulkMaxBytes?: number;
  bulkPoll?: BulkPollOptions;
  /** The org's object metadata: lookups type their literals and compare answers by field type. */
  catalog?: ObjectCatalog;
}

type OpOutcome = Outcome & { result?: WriteResult };

interface OpState {
  event: number;
  op: Operation;
  outcomes: OpOutcome[];
  /** Set when this operation can no longer succeed (its writes are not sent). */
  failed?: Outcome;
}

const DEFAULTS = { concurrency: 4, bulkMaxRecords: 5_000, bulkMaxBytes: 100_000_000 - 1_000_000 };

export async function executeEvents(
  events: Array<{ operations: Operation[] }>,
  client: SalesforceClient,
  options: ExecuteOptions = {},
): Promise<EventOutcome[]> {
  const states: OpState[] = [];
  events.forEach((event, e) => {
    for (const op of event.operations ?? []) states.push({ event: e, op, outcomes: [] });
  });
  try {
    await new Execution(client, options, states).run();
  } catch (err) {
    // A defect must not lose events: whatever has no outcome yet gets a retryable one.
    const outcome = classifyError(err);
    for (const s of states) if (!s.failed && s.outcomes.length === 0) s.failed = outcome;
  }
  return events.map((_, e) => combine(states.filter((s) => s.event === e).flatMap(opOutcomes)));
}

function opOutcomes(s: OpState): OpOutcome[] {
  if (s.failed) return [...s.outcomes, s.failed];
  return s.outcomes.length > 0 ? s.outcomes : [{ statusCode: 500, error: 'operation was not delivered' }];
}

// Reported only beside the failure that caused it, which always outranks it.
const NOT_SENT: Outcome = { statusCode: 400, error: 'not sent: another operation of this event failed' };

/** The worst outcome wins: anything retryable beats an abort, an abort beats success. */
export function combine(ops: OpOutcome[]): EventOutcome {
  const results = ops.flatMap((o) => (o.result ? [o.result] : []));
  const rank = (o: Outcome): number =>
    o.authErrorCategory ? 5 : o.statusCode === 500 ? 4 : o.statusCode === 429 ? 3 : o === NOT_SENT ? 1.5 : o.statusCode === 400 ? 2 : 1;
  let worst: Outcome = { statusCode: 200 };
  for (const o of ops) if (rank(o) > rank(worst)) worst = o;
  const { statusCode, error, errorCode, authErrorCategory } = worst;
  const out: EventOutcome = { statusCode, results };
  if (error !== undefined) out.error = error;
  if (errorCode !== undefined) out.errorCode = errorCode;
  if (authErrorCategory !== undefined) out.authErrorCategory = authErrorCategory;
  return out;
}

function hasKeys(o: object | undefined): boolean {
  return o !== undefined && Object.keys(o).length > 0;
}

function isOk(res: SfResponse): boolean {
  return res.status >= 200 && res.status < 300;
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}

/** Key of "the record this lookup did not find": equal lookups that all found nothing create one record. */
function newRecordKey(object: string, match: Match, meta: ObjectMetadata | undefined): string {
  const entries = Object.entries(match.fields)
    .map(([f, v]) => `${f.toLowerCase()}=${comparable(v, typeFor(meta, f))}`)
    .sort();
  return `${object.toLowerCase()}|${Object.keys(match.fields).length > 1 ? match.operator : 'OR'}|${entries.join('&')}`;
}

class Execution {
  private readonly intents = new Map<number, WriteIntent>(); // ref (index into states) → intent
  private readonly concurrency: number;

  constructor(
    private readonly client: SalesforceClient,
    private readonly options: ExecuteOptions,
    private readonly states: OpState[],
  ) {
    this.concurrency = options.concurrency ?? DEFAULTS.concurrency;
  }

  async run(): Promise<void> {
    const lookups: Array<{ ref: number; request: LookupRequest }> = [];
    this.states.forEach((s, ref) => {
      try {
        this.route(ref, s.op, lookups);
      } catch (err) {
        s.failed = { statusCode: 400, error: err instanceof Error ? err.message : String(err) };
      }
    });
    await this.lookup(lookups);
    // An event is delivered only if all its operations are: none of its writes go out once one
    // of its operations cannot succeed.
    const doomed = new Set(this.states.filter((s) => s.failed).map((s) => s.event));
    for (const s of this.states) {
      if (doomed.has(s.event) && !s.failed) s.failed = NOT_SENT;
    }
    const intents = [...this.intents.values()].filter((i) => !doomed.has(this.states[i.ref].event));
    intents.sort((a, b) => a.ref - b.ref);
    for (const wave of mergeWrites(intents)) await this.runWave(wave, true);
  }

  private route(ref: number, op: Operation, lookups: Array<{ ref: number; request: LookupRequest }>): void {
    const bulk = op.bulk === true;
    const base = { ref, object: op.object, fields: op.fields ?? {}, bulk };
    if (op.operation === 'create') {
      this.intents.set(ref, { ...base, kind: 'create', createFields: op.createFields });
      return;
    }
    if (op.recordId) {
      this.intents.set(ref, { ...base, kind: op.operation === 'delete' ? 'delete' : 'update', id: op.recordId });
      return;
    }
    // Native upsert cannot tell create from update, so create-only fields need the lookup path.
    if (op.operation === 'upsert' && op.externalId && !hasKeys(op.createFields)) {
      this.intents.set(ref, { ...base, kind: 'upsert', externalId: op.externalId });
      return;
    }
    const match: Match | undefined =
      op.match && hasKeys(op.match.fields)
        ? op.match
        : op.externalId
          ? { operator: 'OR', fields: { [op.externalId.field]: op.externalId.value } }
          : undefined;
    if (match) {
      const select = op.follow && op.operation !== 'delete' ? [op.follow.when, op.follow.idField] : [];
      const request: LookupRequest = { object: op.object, match, select };
      planLookups([request], { maxEncodedLength: this.options.maxEncodedQueryLength, catalog: this.options.catalog }); // refuse a bad lookup here, alone
      lookups.push({ ref, request });
      return;
    }
    if (op.operation === 'upsert') {
      this.intents.set(ref, { ...base, kind: 'create', createFields: op.createFields });
      return;
    }
    throw new Error(`${op.operation} of ${op.object} needs a record Id, an external id or match fields`);
  }

  private async lookup(lookups: Array<{ ref: number; request: LookupRequest }>): Promise<void> {
    if (lookups.length === 0) return;
    const queries = planLookups(
      lookups.map((l) => l.request),
      { maxEncodedLength: this.options.maxEncodedQueryLength, catalog: this.options.catalog },
    );
    await inParallel(queries, this.concurrency, async (query) => {
      const members = query.requests.map((i) => lookups[i]);
      const fetched = await this.query(query.soql);
      if (!Array.isArray(fetched)) {
        for (const m of members) this.states[m.ref].failed = fetched;
        return;
      }
      const found = assignRecords(members.map((m) => m.request.match), fetched, this.options.catalog?.get(query.object));
      members.forEach((m, i) => this.decide(m.ref, m.request.match, found[i]));
    });
  }

  /** All records of a query (following nextRecordsUrl), or the outcome that stopped it. */
  private async query(soql: string): Promise<FoundRecord[] | Outcome> {
    const records: FoundRecord[] = [];
    let req: Parameters<SalesforceClient['request']>[0] = { method: 'GET', path: queryPath(this.client.apiVersion), query: { q: soql } };
    for (;;) {
      let res: SfResponse;
      try {
        res = await this.client.request(req);
      } catch (err) {
        return classifyError(err);
      }
      if (!isOk(res)) return classifyResponse(res);
      const body = (res.body ?? {}) as { records?: FoundRecord[]; done?: boolean; nextRecordsUrl?: string };
      records.push(...(body.records ?? []));
      if (body.done !== false || !body.nextRecordsUrl) return records;
      req = { method: 'GET', path: body.nextRecordsUrl };
    }
  }

  private decide(ref: number, match: Match, found: FoundRecord[]): void {
    const s = this.states[ref];
    const op = s.op;
    const base = { ref, object: op.object, fields: op.fields ?? {}, bulk: op.bulk === true };
    if (found.length > 1) {
      const where = Object.entries(match.fields).map(([f, v]) => `${f} = ${JSON.stringify(v)}`).join(` ${match.operator} `);
      s.failed = severalMatches(op.object, found.length, `with ${where}`);
      return;
    }
    if (found.length === 0) {
      if (op.operation === 'upsert') {
        this.intents.set(ref, { ...base, kind: 'create', createFields: op.createFields, sameNewRecord: newRecordKey(op.object, match, this.options.catalog?.get(op.object)) });
      } else {
        s.failed = { statusCode: 400, error: `no ${op.object} record matches; nothing written`, errorCode: 'NOT_FOUND' };
      }
      return;
    }
    const record = found[0];
    const id = String(record.Id ?? '');
    if (op.operation === 'delete') {
      this.intents.set(ref, { ...base, kind: 'delete', id });
      return;
    }
    if (op.follow && record[op.follow.when] === true) {
      const target = record[op.follow.idField];
      if (typeof target !== 'string' || target === '') {
        s.failed = { statusCode: 400, error: `${op.object} ${id} has ${op.follow.when} set but no ${op.follow.idField}` };
        return;
      }
      this.intents.set(ref, { ...base, object: op.follow.object, fields: op.follow.fields, kind: 'update', id: target });
      return;
    }
    this.intents.set(ref, { ...base, kind: 'update', id });
  }

  // ---- writes ----

  private async runWave(units: WriteUnit[], replayMerged: boolean): Promise<void> {
    const threshold = this.options.bulkThreshold;
    const counts = new Map<string, number>();
    const groupOf = (u: WriteUnit): string => `${u.kind}|${u.object}|${u.externalId?.field ?? ''}`;
    for (const u of units) counts.set(groupOf(u), (counts.get(groupOf(u)) ?? 0) + 1);
    const viaBulk = (u: WriteUnit): boolean => u.bulk || (threshold !== undefined && (counts.get(groupOf(u)) ?? 0) >= threshold);

    const answers = new Map<WriteUnit, { ok: true; id: string; created: boolean } | { ok: false; outcome: Outcome }>();
    const collections = units.filter((u) => !viaBulk(u));
    const bulk = units.filter(viaBulk);
    const tasks: Array<() => Promise<void>> = [];
    for (const call of planCollectionCalls(collections, this.client.apiVersion)) {
      tasks.push(async () => {
        const members = call.units.map((i) => collections[i]);
        let res: SfResponse;
        try {
          res = await this.client.request(call.request);
        } catch (err) {
          const outcome = classifyError(err);
          for (const u of members) answers.set(u, { ok: false, outcome });
          return;
        }
        if (!isOk(res)) {
          const outcome = classifyResponse(res);
          for (const u of members) answers.set(u, { ok: false, outcome });
          return;
        }
        readCollectionResults(call, res.body).forEach((r, i) => answers.set(members[i], recordAnswer(r, members[i])));
      });
    }
    for (const job of this.bulkJobs(bulk)) {
      tasks.push(async () => {
        const rows = await job.run();
        rows.forEach((row, i) => answers.set(job.units[i], bulkAnswer(row, job.units[i])));
      });
    }
    await inParallel(tasks, this.concurrency, (task) => task());

    const replays: WriteUnit[] = [];
    for (const unit of units) {
      const answer = answers.get(unit) ?? { ok: false as const, outcome: { statusCode: 500 as const, error: 'write was not answered' } };
      if (!answer.ok && unit.refs.length > 1 && answer.outcome.statusCode === 400 && replayMerged) {
        replays.push(unit);
        continue;
      }
      unit.refs.forEach((ref, k) => {
        const s = this.states[ref];
        if (answer.ok) {
          // The first event of a merged write is the one that created the record; the rest updated it.
          s.outcomes.push({ statusCode: 200, result: { object: unit.object, id: answer.id, created: k === 0 && answer.created } });
        } else {
          s.outcomes.push(answer.outcome);
        }
      });
    }
    // A merged write failed for good: one of its events carries a value Salesforce refuses. Replay
    // the events one by one, in order, so each gets the outcome it would have had alone.
    await inParallel(replays, this.concurrency, (unit) => this.replay(unit));
  }

  private async replay(unit: WriteUnit): Promise<void> {
    let createdId: string | undefined;
    for (const ref of unit.refs) {
      const intent = this.intents.get(ref);
      if (!intent) continue;
      // One record at a time costs one collections call; through Bulk it would cost a whole job.
      const alone: WriteIntent =
        intent.kind === 'create' && intent.sameNewRecord !== undefined && createdId !== undefined
          ? { ref, object: intent.object, kind: 'update', id: createdId, fields: intent.fields, bulk: false }
          : { ...intent, bulk: false };
      const [wave] = mergeWrites([alone], { merge: false });
      await this.runWave(wave, false);
      const last = this.states[ref].outcomes.at(-1);
      if (intent.kind === 'create' && last?.statusCode === 200 && last.result) {
        createdId = last.result.id;
      }
    }
  }

  private bulkJobs(units: WriteUnit[]): Array<{ units: WriteUnit[]; run: () => Promise<BulkJobRow[]> }> {
    const groups = new Map<string, WriteUnit[]>();
    for (const u of units) {
      const key = `${u.kind}|${u.object.toLowerCase()}|${u.externalId?.field.toLowerCase() ?? ''}`;
      const list = groups.get(key);
      if (list) list.push(u);
      else groups.set(key, [u]);
    }
    const maxRecords = this.options.bulkMaxRecords ?? DEFAULTS.bulkMaxRecords;
    const maxBytes = this.options.bulkMaxBytes ?? DEFAULTS.bulkMaxBytes;
    const jobs: Array<{ units: WriteUnit[]; run: () => Promise<BulkJobRow[]> }> = [];
    for (const members of groups.values()) {
      const first = members[0];
      const operation: BulkOperation = first.kind === 'create' ? 'insert' : first.kind;
      const ext = first.kind === 'upsert' ? first.externalId?.field : undefined;
      const leading = operation === 'insert' ? [] : operation === 'upsert' ? [ext ?? ''] : ['Id'];
      const row = (u: WriteUnit): CsvRecord =>
        operation === 'delete'
          ? { Id: u.id }
          : operation === 'upsert'
            ? { ...u.body, [ext ?? '']: u.externalId?.value as FieldValue }
            : operation === 'update'
              ? { ...u.body, Id: u.id }
              : u.body;
      const pending: WriteUnit[][] = [];
      for (let i = 0; i < members.length; i += maxRecords) pending.push(members.slice(i, i + maxRecords));
      while (pending.length > 0) {
        const chunk = pending.shift() as WriteUnit[];
        let csv;
        try {
          csv = buildBulkCsv(chunk.map(row), leading);
        } catch (err) {
          if (!(err instanceof BulkCsvError)) throw err;
          const outcome: Outcome = { statusCode: 400, error: `Bulk CSV refused: ${err.message}`, errorCode: 'INVALID_FIELD' };
          jobs.push({ units: chunk, run: async () => chunk.map(() => ({ success: false, outcome })) });
          continue;
        }
        if (csv.bytes > maxBytes && chunk.length > 1) {
          const half = Math.ceil(chunk.length / 2);
          pending.unshift(chunk.slice(0, half), chunk.slice(half));
          continue;
        }
        const spec = { object: first.object, operation, externalIdFieldName: ext, csv };
        jobs.push({ units: chunk, run: () => runBulkJob(this.client, spec, this.options.bulkPoll) });
      }
    }
    return jobs;
  }
}

function recordAnswer(r: RecordResult | undefined, unit: WriteUnit): { ok: true; id: string; created: boolean } | { ok: false; outcome: Outcome } {
  if (!r) return { ok: false, outcome: { statusCode: 500, error: 'Salesforce answered without a result for this record' } };
  if (!r.success) return { ok: false, outcome: classifyRecordErrors(r.errors.length > 0 ? r.errors : [{ message: 'record refused without a reason' }]) };
  const id = r.id ?? unit.id ?? '';
  return { ok: true, id, created: unit.kind === 'create' ? true : unit.kind === 'upsert' ? r.created === true : false };
}

function bulkAnswer(row: BulkJobRow, unit: WriteUnit): { ok: true; id: string; created: boolean } | { ok: false; outcome: Outcome } {
  if ('outcome' in row) return { ok: false, outcome: row.outcome };
  if (!row.success) {
    const { errorCode, message } = splitBulkError(row.error);
    return { ok: false, outcome: classifyRecordErrors([{ statusCode: errorCode, errorCode, message }]) };
  }
  return { ok: true, id: row.id || unit.id || '', created: unit.kind === 'create' ? true : unit.kind === 'upsert' ? row.created : false };
}
