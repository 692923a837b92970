// Plans the delivery of many events' operations to one org with as few API calls as keep each
// event's meaning. Pure: deliver/execute.ts asks for the lookups, hands their answers back, and
// runs the Plan it gets. In rounds:
//   1. route (operation-route.ts, shared with /transform's descriptors in http-steps.ts): each
//      operation is a direct write (known Id, native external-id upsert, plain create) or needs a
//      lookup; one SOQL per object and match shape (lookup-plan.ts);
//   2. decide, from the answers: records assigned back as a query of its own would have found them
//      (lookup-resolve.ts): 1 → update (or the converted lead's Contact), 0 → create or "no record",
//      several → abort; an event is sent only if all its operations can be;
//   3. writes: same-record writes merged (record-merge.ts), waves of sObject Collections calls
//      (write-plan.ts) or Bulk API 2.0 jobs with their CSV (bulk-csv.ts).
import type { Match, Operation } from '../operation/operation.js';
import { createdEarlier, severalMatches, skipped, type Outcome } from '../operation/outcome.js';
import type { ObjectCatalog, ObjectMetadata } from '../salesforce/object-metadata.js';
import { BulkCsvError, buildBulkCsv, type CsvRecord } from './bulk-csv.js';
import { planLookups, type LookupRequest } from './lookup-plan.js';
import { assignRecords, comparable, typeFor, type FoundRecord } from './lookup-resolve.js';
import { isSkip, routeOperation, type Route } from './operation-route.js';
import { withoutUnknownFields, type OrgFields, type UnknownFieldPolicy } from './org-fields.js';
import type { BulkOperation, LookupCall, Plan, PlannedRecord, WriteCall } from './plan.js';
import { mergeWrites, type WriteIntent, type WriteUnit } from './record-merge.js';
import { planCollectionCalls } from './write-plan.js';

export interface PlanOptions {
  apiVersion: string;
  /** The org's object metadata: lookups type their literals and compare answers by field type. */
  catalog?: ObjectCatalog;
  /** Budget for one lookup's URL-encoded SOQL. */
  maxEncodedQueryLength?: number;
  /** Writes of one kind and object in one wave at or above this count go through Bulk API 2.0 even without `bulk: true`. */
  bulkThreshold?: number;
  /** Rows per Bulk job (Salesforce allows more; the product keeps jobs at the size its users tune for). */
  bulkMaxRecords?: number;
  /** CSV bytes per Bulk job (Salesforce's limit is 100 MB per upload). */
  bulkMaxBytes?: number;
  /** The fields the org has (learned by describe): custom fields it lacks are left out of writes. */
  orgFields?: OrgFields;
}

/** One event's operations; `unknownFields: 'fail'` writes its custom fields even where the org lacks them. */
export interface PlannedEvent {
  operations?: readonly Operation[];
  unknownFields?: UnknownFieldPolicy;
}

/** A lookup's records (all pages), or the outcome that stopped it. */
export type LookupAnswer = FoundRecord[] | Outcome;

const DEFAULTS = { bulkMaxRecords: 5_000, bulkMaxBytes: 100_000_000 - 1_000_000 };

/** Reported only beside the failure that caused it, which always outranks it. */
const NOT_SENT: Outcome = {
  statusCode: 400,
  error: 'not sent: another operation of this event failed',
  errorCode: 'NOT_SENT',
};

type LookupRoute = Extract<Route, { via: 'lookup' }>;

/** Operations + canned lookup answers → the Plan (what the plan goldens run). */
export function planDelivery(
  events: ReadonlyArray<PlannedEvent>,
  answers: readonly LookupAnswer[],
  options: PlanOptions,
): Plan {
  const planner = new DeliveryPlanner(events, options);
  answers.forEach((a, i) => planner.answer(i, a));
  return planner.plan();
}

export class DeliveryPlanner {
  readonly events: number[] = [];
  readonly lookups: LookupCall[];
  private readonly ops: Operation[] = [];
  private readonly failed = new Map<number, Outcome>();
  /** Operations that write nothing on purpose (sync mode add found its record; whenNotFound: skip). */
  private readonly skips = new Map<number, Outcome>();
  private readonly intents = new Map<number, WriteIntent>();
  private readonly pending: Array<{ ref: number; request: LookupRequest; route: LookupRoute }> = [];
  private readonly answers: Array<LookupAnswer | undefined>;
  private readonly strict = new Set<number>();
  private orgFields: OrgFields | undefined;

  constructor(
    events: ReadonlyArray<PlannedEvent>,
    private readonly options: PlanOptions,
  ) {
    this.orgFields = options.orgFields;
    events.forEach((event, e) => {
      if (event.unknownFields === 'fail') this.strict.add(e);
      for (const op of event.operations ?? []) {
        this.events.push(e);
        this.ops.push(op);
      }
    });
    this.ops.forEach((op, ref) => {
      try {
        this.route(ref, op);
      } catch (err) {
        this.failed.set(ref, {
          statusCode: 400,
          error: err instanceof Error ? err.message : String(err),
          errorCode: 'INVALID_OPERATION',
        });
      }
    });
    const queries =
      this.pending.length === 0
        ? []
        : planLookups(
            this.pending.map((p) => p.request),
            this.lookupOptions(),
          );
    this.lookups = queries.map((q) => ({
      object: q.object,
      soql: q.soql,
      refs: q.requests.map((i) => this.pending[i].ref),
    }));
    this.answers = this.lookups.map(() => undefined);
  }

  /** The answer to lookups[index]. */
  answer(index: number, answer: LookupAnswer): void {
    this.answers[index] = answer;
  }

  /** The org's fields, once deliver has learned them (they may arrive with the lookups' answers). */
  knowFields(fields: OrgFields | undefined): void {
    this.orgFields = fields;
  }

  /** The whole plan, once every lookup is answered. */
  plan(): Plan {
    const routeOf = new Map(this.pending.map((p) => [p.ref, p.route]));
    this.lookups.forEach((lookup, i) => {
      const answer = this.answers[i] ?? { statusCode: 500, error: 'lookup was not answered' };
      if (!Array.isArray(answer)) {
        for (const ref of lookup.refs) this.failed.set(ref, answer);
        return;
      }
      const routes = lookup.refs.map((ref) => routeOf.get(ref) as LookupRoute);
      const found = assignRecords(
        routes.map((r) => r.match),
        answer,
        this.metaOf(lookup.object),
      );
      lookup.refs.forEach((ref, k) => this.decide(ref, routes[k], found[k]));
    });
    // An event is delivered only if all its operations are: none of its writes go out once one
    // of its operations cannot succeed.
    const doomed = new Set([...this.failed.keys()].map((ref) => this.events[ref]));
    const decided: Plan['decided'] = [];
    this.ops.forEach((_, ref) => {
      const outcome = this.failed.get(ref) ?? (doomed.has(this.events[ref]) ? NOT_SENT : this.skips.get(ref));
      if (outcome) decided.push({ ref, outcome });
    });
    const dropped: NonNullable<Plan['dropped']> = [];
    const known = new Map([...this.intents].map(([ref, intent]) => [ref, this.knownFieldsOnly(intent, dropped)]));
    const intents = [...known.values()].filter((i) => !doomed.has(this.events[i.ref])).sort((a, b) => a.ref - b.ref);
    const plan: Plan = {
      apiVersion: this.options.apiVersion,
      events: this.events,
      lookups: this.lookups,
      decided,
      writes: this.ops.map((_, ref) => known.get(ref) ?? null),
      waves: mergeWrites(intents).map((units) => planWave(units, this.options)),
    };
    if (dropped.length > 0) plan.dropped = dropped.sort((a, b) => a.ref - b.ref);
    return plan;
  }

  /** The intent without the custom fields the org lacks (unless its event is strict); those are noted in `dropped`. */
  private knownFieldsOnly(intent: WriteIntent, dropped: NonNullable<Plan['dropped']>): WriteIntent {
    if (this.orgFields === undefined || this.strict.has(this.events[intent.ref])) return intent;
    const fields = withoutUnknownFields(intent.object, intent.fields, this.orgFields);
    const create = intent.createFields && withoutUnknownFields(intent.object, intent.createFields, this.orgFields);
    const names = [...new Set([...fields.dropped, ...(create?.dropped ?? [])])];
    if (names.length === 0) return intent;
    dropped.push({ ref: intent.ref, object: intent.object, fields: names });
    return create
      ? { ...intent, fields: fields.fields, createFields: create.fields }
      : { ...intent, fields: fields.fields };
  }

  private lookupOptions() {
    return { maxEncodedLength: this.options.maxEncodedQueryLength, catalog: this.options.catalog };
  }

  private metaOf(object: string): ObjectMetadata | undefined {
    return this.options.catalog?.get(object);
  }

  private route(ref: number, op: Operation): void {
    const route = routeOperation(op);
    if (route.via === 'direct') {
      this.intents.set(ref, { ref, ...route.write });
      return;
    }
    const request: LookupRequest = { object: op.object, match: route.match, select: route.select };
    planLookups([request], this.lookupOptions()); // refuse a bad lookup here, alone
    this.pending.push({ ref, request, route });
  }

  private decide(ref: number, route: LookupRoute, found: FoundRecord[]): void {
    const object = this.ops[ref].object;
    const match = route.match;
    const where = () =>
      Object.entries(match.fields)
        .map(([f, v]) => `${f} = ${JSON.stringify(v)}`)
        .join(` ${match.operator} `);
    if (found.length === 0) {
      const notFound = route.notFound;
      if (notFound === undefined) {
        this.failed.set(ref, {
          statusCode: 400,
          error: `no ${object} record matches; nothing written`,
          errorCode: 'NOT_FOUND',
        });
      } else if (isSkip(notFound)) {
        // Seed 002, sync mode update: "Segment does nothing if the record doesn't exist."
        this.skips.set(
          ref,
          skipped({
            object,
            code: 'NO_RECORD',
            message: `no ${object} record matches ${where()}; nothing written (whenNotFound: skip)`,
          }),
        );
      } else {
        // Equal lookups that found nothing create one record (an add's later twins skip it: addOnly).
        this.intents.set(ref, { ref, ...notFound, sameNewRecord: this.newRecordKey(object, match) });
      }
      return;
    }
    const onFound = route.found;
    if (isSkip(onFound)) {
      // Sync mode add found its record (one or several): nothing written, the first one named.
      const id = String(found[0].Id ?? '');
      const which =
        found.length > 1 ? `${found.length} ${object} records (the first ${id}) match` : `${object} ${id} matches`;
      this.skips.set(
        ref,
        skipped({ object, code: 'RECORD_EXISTS', id, message: `${which} ${where()}; nothing written (sync mode add)` }),
      );
      return;
    }
    if (found.length > 1) {
      this.failed.set(ref, severalMatches(object, found.length, `with ${where()}`));
      return;
    }
    const record = found[0];
    const converted = route.converted;
    if (converted && record[converted.when] === true) {
      const target = record[converted.idFrom];
      if (typeof target !== 'string' || target === '') {
        this.failed.set(ref, {
          statusCode: 400,
          error: `${object} ${String(record.Id ?? '')} has ${converted.when} set but no ${converted.idFrom}`,
          errorCode: 'NO_FOLLOW_TARGET',
        });
        return;
      }
      this.intents.set(ref, { ref, ...converted.write, id: target });
      return;
    }
    this.intents.set(ref, { ref, ...onFound.write, id: String(record[onFound.idFrom] ?? '') });
  }

  /** Key of "the record this lookup did not find": equal lookups that all found nothing create one record. */
  private newRecordKey(object: string, match: Match): string {
    const meta = this.metaOf(object);
    const entries = Object.entries(match.fields)
      .map(([f, v]) => `${f.toLowerCase()}=${comparable(v, typeFor(meta, f))}`)
      .sort();
    return `${object.toLowerCase()}|${Object.keys(match.fields).length > 1 ? match.operator : 'OR'}|${entries.join('&')}`;
  }
}

/**
 * The calls of one wave of writes (every unit may be written at the same time): sObject Collections
 * calls, and Bulk jobs for the units that asked for Bulk or whose group reaches the threshold.
 */
function planWave(units: readonly WriteUnit[], options: PlanOptions): WriteCall[] {
  const threshold = options.bulkThreshold;
  const counts = new Map<string, number>();
  for (const u of units) counts.set(groupKey(u), (counts.get(groupKey(u)) ?? 0) + 1);
  const viaBulk = (u: WriteUnit): boolean =>
    u.bulk || (threshold !== undefined && (counts.get(groupKey(u)) ?? 0) >= threshold);
  const collections = units.filter((u) => !viaBulk(u));
  const calls: WriteCall[] = planCollectionCalls(collections, options.apiVersion).map((call) => ({
    via: 'collections',
    request: call.request,
    records: call.units.map((i) => plannedRecord(collections[i])),
  }));
  return calls.concat(bulkCalls(units.filter(viaBulk), options));
}

/**
 * The calls that replay one operation of a refused merged write on its own. A create that follows
 * the create of the same new record (`createdId`) becomes an update of that record.
 */
export function planReplay(plan: Plan, ref: number, createdId: string | undefined): WriteCall[] {
  const intent = plan.writes[ref];
  if (!intent) return [];
  // One record at a time costs one collections call; through Bulk it would cost a whole job.
  const alone: WriteIntent =
    intent.kind === 'create' && intent.sameNewRecord !== undefined && createdId !== undefined
      ? { ref, object: intent.object, kind: 'update', id: createdId, fields: intent.fields, bulk: false }
      : { ...intent, bulk: false };
  const [wave] = mergeWrites([alone], { merge: false });
  return planWave(wave, { apiVersion: plan.apiVersion });
}

/** A replayed sync-mode-add operation whose record an earlier operation of its write created: it skips. */
export function replaySkip(plan: Plan, ref: number, createdId: string | undefined): Outcome | undefined {
  const intent = plan.writes[ref];
  return intent?.addOnly && intent.sameNewRecord !== undefined && createdId !== undefined
    ? createdEarlier(intent.object, createdId)
    : undefined;
}

/** Writes that may share a Bulk job (and count together toward the threshold). */
function groupKey(u: WriteUnit): string {
  return `${u.kind}|${u.object.toLowerCase()}|${u.externalId?.field.toLowerCase() ?? ''}`;
}

function plannedRecord(u: WriteUnit): PlannedRecord {
  const r: PlannedRecord = { object: u.object, kind: u.kind, refs: u.refs };
  if (u.id !== undefined) r.id = u.id;
  if (u.skips) r.skips = u.skips;
  return r;
}

function bulkCalls(units: readonly WriteUnit[], options: PlanOptions): WriteCall[] {
  const groups = new Map<string, WriteUnit[]>();
  for (const u of units) {
    const list = groups.get(groupKey(u));
    if (list) list.push(u);
    else groups.set(groupKey(u), [u]);
  }
  const maxRecords = options.bulkMaxRecords ?? DEFAULTS.bulkMaxRecords;
  const maxBytes = options.bulkMaxBytes ?? DEFAULTS.bulkMaxBytes;
  const calls: WriteCall[] = [];
  for (const members of groups.values()) {
    const first = members[0];
    const operation: BulkOperation = first.kind === 'create' ? 'insert' : first.kind;
    const ext = first.kind === 'upsert' ? first.externalId?.field : undefined;
    const leading = operation === 'insert' ? [] : operation === 'upsert' ? [ext ?? ''] : ['Id'];
    const row = (u: WriteUnit): CsvRecord =>
      operation === 'delete'
        ? { Id: u.id }
        : operation === 'upsert'
          ? { ...u.body, [ext ?? '']: u.externalId?.value }
          : operation === 'update'
            ? { ...u.body, Id: u.id }
            : u.body;
    const pending: WriteUnit[][] = [];
    for (let i = 0; i < members.length; i += maxRecords) pending.push(members.slice(i, i + maxRecords));
    while (pending.length > 0) {
      const chunk = pending.shift() as WriteUnit[];
      const records = chunk.map(plannedRecord);
      let csv;
      try {
        csv = buildBulkCsv(chunk.map(row), leading);
      } catch (err) {
        if (!(err instanceof BulkCsvError)) throw err;
        calls.push({
          via: 'refused',
          outcome: { statusCode: 400, error: `Bulk CSV refused: ${err.message}`, errorCode: 'INVALID_FIELD' },
          records,
        });
        continue;
      }
      if (csv.bytes > maxBytes && chunk.length > 1) {
        const half = Math.ceil(chunk.length / 2);
        pending.unshift(chunk.slice(0, half), chunk.slice(half));
        continue;
      }
      const job =
        ext === undefined
          ? { object: first.object, operation, csv }
          : { object: first.object, operation, externalIdFieldName: ext, csv };
      calls.push({ via: 'bulk', job, records });
    }
  }
  return calls;
}
