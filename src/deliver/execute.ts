// Delivers the operations of many events to one org and gives each event exactly one outcome. The
// decisions are the planner's (plan/delivery-planner.ts); this file is its interpreter: it pages
// the lookups the planner asks for, runs the Plan's waves of collections calls and Bulk jobs, and
// replays, one operation at a time, a merged write Salesforce refused — so one event's bad value
// never fails another. The worst outcome of an event's operations is the event's.
// Objects written with custom fields are described first (once per org and object per TTL,
// org-field-cache.ts) so the planner leaves out the custom fields the org lacks. An unknown field
// Salesforce still refuses (deleted since the describe, or sent by a strict event) fails the whole
// call it is in: the refused operations of its neighbours, and the dropping ones once the list is
// described again, are delivered once more — only those (plan/unknown-field-replay.ts decides
// which): what was written stays written.
import type { OpOutcome, Outcome, Skip, WriteResult } from '../operation/outcome.js';
import {
  DeliveryPlanner,
  planReplay,
  replaySkip,
  type LookupAnswer,
  type PlanOptions,
  type PlannedEvent,
} from '../plan/delivery-planner.js';
import type { FoundRecord } from '../plan/lookup-resolve.js';
import { objectsWithCustomFields, type OrgFields, type UnknownFieldPolicy } from '../plan/org-fields.js';
import type { Plan, WriteCall } from '../plan/plan.js';
import { refsToRedeliver, replayEvents, triageUnknownFields } from '../plan/unknown-field-replay.js';
import { planProblem } from '../plan/validate-plan.js';
import { readCollectionResults } from '../plan/write-plan.js';
import { queryPath } from '../salesforce/api-paths.js';
import { runBulkJob, type BulkPollOptions } from './bulk-job.js';
import { classifyError, classifyResponse } from './classify.js';
import type { OrgFieldCache } from './org-field-cache.js';
import { unknownFieldOf } from './unknown-field-error.js';
import type { SalesforceClient, SfRequest, SfResponse } from './salesforce-client.js';
import { bulkAnswer, collectionAnswer, recordOutcomes, replaysOperations, type WriteAnswer } from './write-answers.js';

/** `skipped`: the operations that wrote nothing on purpose (sync mode add, whenNotFound: skip). */
export type EventOutcome = Omit<Outcome, 'skip'> & { results?: WriteResult[]; skipped?: Skip[] };

export interface ExecuteOptions extends Omit<PlanOptions, 'apiVersion' | 'orgFields'> {
  /** Calls in flight at once (lookups, collections calls, bulk jobs). */
  concurrency?: number;
  bulkPoll?: BulkPollOptions;
  /** Where the org's fields are learned; without it no field is left out (every event is strict). */
  fieldCache?: OrgFieldCache;
  /** The policy of events that do not name one (default drop). */
  unknownFields?: UnknownFieldPolicy;
}

// SF_CHECK_PLANS=1 (set by the test suite, test/setup/check-plans.ts) checks every plan against
// schemas/plan.schema.json before it runs; a plan that does not satisfy it is a defect (500).
const checkPlans = process.env.SF_CHECK_PLANS === '1';

/** Every event's outcome, in order. The entry point of /proxy (and of anything that delivers operations). */
export async function executeEvents(
  events: ReadonlyArray<PlannedEvent>,
  client: SalesforceClient,
  options: ExecuteOptions = {},
): Promise<EventOutcome[]> {
  const planned = withPolicies(events, options);
  const eventOf = planned.flatMap((e, i) => (e.operations ?? []).map(() => i));
  const outcomes = await deliver(planned, client, options);
  await redeliverUnknownFields(planned, outcomes, client, options);
  const perEvent: OpOutcome[][] = events.map(() => []);
  outcomes.forEach((list, ref) => perEvent[eventOf[ref]].push(...(list.length > 0 ? list : [NOT_DELIVERED])));
  return perEvent.map(combine);
}

/**
 * The events with the unknown-field policy each is planned with: its own, else the server's
 * (default drop) — and 'fail' (write every field as mapped) when no org's fields can be learned.
 */
export function withPolicies(
  events: ReadonlyArray<PlannedEvent>,
  options: Pick<ExecuteOptions, 'fieldCache' | 'unknownFields'>,
): PlannedEvent[] {
  const policy = options.fieldCache ? (options.unknownFields ?? 'drop') : 'fail';
  return events.map((e) => ({
    operations: e.operations,
    unknownFields: options.fieldCache ? (e.unknownFields ?? policy) : 'fail',
  }));
}

/** Each operation's outcomes (by ref), from one plan and its run. */
async function deliver(
  events: readonly PlannedEvent[],
  client: SalesforceClient,
  options: ExecuteOptions,
): Promise<OpOutcome[][]> {
  const outcomes: OpOutcome[][] = events.flatMap((e) => (e.operations ?? []).map((): OpOutcome[] => []));
  try {
    const planner = new DeliveryPlanner(events, { ...options, apiVersion: client.apiVersion });
    const concurrency = options.concurrency ?? 4;
    const [orgFields] = await Promise.all([
      learnFields(events, client, options.fieldCache),
      inParallel(
        planner.lookups.map((_, i) => i),
        concurrency,
        async (i) => planner.answer(i, await query(client, planner.lookups[i].soql)),
      ),
    ]);
    planner.knowFields(orgFields);
    const plan = planner.plan();
    const problem = checkPlans ? planProblem(plan) : undefined;
    if (problem !== undefined) throw new Error(`the delivery plan does not satisfy plan.schema.json: ${problem}`);
    for (const { ref, outcome } of plan.decided) outcomes[ref].push(outcome);
    const run = new WaveRunner(client, plan, outcomes, concurrency, options.bulkPoll);
    for (const wave of plan.waves) await run.wave(wave, true);
    for (const { ref, fields } of plan.dropped ?? []) {
      for (const o of outcomes[ref]) if (o.result) o.result.droppedFields = fields;
    }
  } catch (err) {
    // A defect must not lose events: whatever has no outcome yet gets a retryable one.
    const outcome = classifyError(err);
    for (const list of outcomes) if (list.length === 0) list.push(outcome);
  }
  return outcomes;
}

/** The fields of the objects the dropping events write custom fields to; none when nothing needs them. */
export async function learnFields(
  events: readonly PlannedEvent[],
  client: SalesforceClient,
  cache: OrgFieldCache | undefined,
): Promise<OrgFields | undefined> {
  const objects = cache
    ? objectsWithCustomFields(events.flatMap((e) => (e.unknownFields === 'fail' ? [] : (e.operations ?? []))))
    : [];
  if (!cache || objects.length === 0) return undefined;
  const known = new Map<string, ReadonlySet<string>>();
  await Promise.all(
    objects.map(async (object) => {
      const fields = await cache.fields(client, object);
      if (fields) known.set(object.toLowerCase(), fields);
    }),
  );
  return known;
}

/**
 * Delivers once more what plan/unknown-field-replay.ts says is worth it after refusals for an
 * unknown field: the innocent neighbours, and the dropping operations whose object, described
 * again, no longer has the field. What succeeded is not touched.
 */
async function redeliverUnknownFields(
  events: readonly PlannedEvent[],
  outcomes: OpOutcome[][],
  client: SalesforceClient,
  options: ExecuteOptions,
): Promise<void> {
  const refused = outcomes.map((list) => list.map(unknownFieldOf).find((f) => f !== undefined));
  const cache = options.fieldCache;
  const triage = triageUnknownFields(events, refused, cache !== undefined);
  if (!triage) return;
  const ops = events.flatMap((e) => e.operations ?? []);
  const lists =
    cache && triage.stale.size > 0
      ? await Promise.all(
          objectsWithCustomFields([...triage.stale.keys()].map((ref) => ops[ref])).map((object) =>
            cache.refresh(client, object),
          ),
        )
      : [];
  const again = refsToRedeliver(triage, lists);
  if (again.length === 0) return;
  const replay = replayEvents(events, again);
  const second = await deliver(replay.events, client, options);
  second.forEach((list, k) => (outcomes[replay.refsOf[k]] = list));
}

const NOT_DELIVERED: OpOutcome = { statusCode: 500, error: 'operation was not delivered' };

/** The worst outcome wins: anything retryable beats an abort, an abort beats success. */
function combine(ops: OpOutcome[]): EventOutcome {
  const results = ops.flatMap((o) => (o.result ? [o.result] : []));
  const rank = (o: Outcome): number =>
    o.authErrorCategory
      ? 5
      : o.statusCode === 500
        ? 4
        : o.statusCode === 429
          ? 3
          : o.errorCode === 'NOT_SENT'
            ? 1.5
            : o.statusCode === 400
              ? 2
              : 1;
  let worst: Outcome = { statusCode: 200 };
  for (const o of ops) if (rank(o) > rank(worst)) worst = o;
  const { statusCode, error, errorCode, authErrorCategory, retryAfterSeconds } = worst;
  const out: EventOutcome = { statusCode, results };
  const skips = ops.flatMap((o) => (o.skip ? [o.skip] : []));
  if (skips.length > 0) out.skipped = skips;
  if (retryAfterSeconds !== undefined) out.retryAfterSeconds = retryAfterSeconds;
  if (error !== undefined) out.error = error;
  if (errorCode !== undefined) out.errorCode = errorCode;
  if (authErrorCategory !== undefined) out.authErrorCategory = authErrorCategory;
  return out;
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}

/** A 2xx answer, or the outcome of the call that failed. */
async function send(client: SalesforceClient, req: SfRequest): Promise<SfResponse | Outcome> {
  try {
    const res = await client.request(req);
    return res.status >= 200 && res.status < 300 ? res : classifyResponse(res);
  } catch (err) {
    return classifyError(err);
  }
}

const failed = (x: SfResponse | Outcome): x is Outcome => 'statusCode' in x;

/** All records of a query (following nextRecordsUrl), or the outcome that stopped it. */
async function query(client: SalesforceClient, soql: string): Promise<LookupAnswer> {
  const records: FoundRecord[] = [];
  let req: SfRequest = { method: 'GET', path: queryPath(client.apiVersion), query: { q: soql } };
  for (;;) {
    const res = await send(client, req);
    if (failed(res)) return res;
    const body = (res.body ?? {}) as { records?: FoundRecord[]; done?: boolean; nextRecordsUrl?: string };
    records.push(...(body.records ?? []));
    if (body.done !== false || !body.nextRecordsUrl) return records;
    req = { method: 'GET', path: body.nextRecordsUrl };
  }
}

class WaveRunner {
  constructor(
    private readonly client: SalesforceClient,
    private readonly plan: Plan,
    private readonly outcomes: OpOutcome[][],
    private readonly concurrency: number,
    private readonly bulkPoll: BulkPollOptions | undefined,
  ) {}

  async wave(calls: readonly WriteCall[], replayMerged: boolean): Promise<void> {
    const answered = new Map<WriteCall, Array<WriteAnswer | undefined>>();
    await inParallel(calls, this.concurrency, async (call) => {
      answered.set(call, await this.answers(call));
    });
    const replays: number[][] = [];
    for (const call of calls) {
      call.records.forEach((record, i) => {
        const answer = answered.get(call)?.[i] ?? {
          ok: false,
          outcome: { statusCode: 500, error: 'write was not answered' },
        };
        if (replayMerged && replaysOperations(record, answer)) replays.push(record.refs);
        else for (const { ref, outcome } of recordOutcomes(record, answer)) this.outcomes[ref].push(outcome);
      });
    }
    // Replay the refused merged write's operations one by one, in order, so each gets the outcome
    // it would have had alone.
    await inParallel(replays, this.concurrency, (refs) => this.replay(refs));
  }

  private async answers(call: WriteCall): Promise<Array<WriteAnswer | undefined>> {
    const everyRecord = (outcome: Outcome): WriteAnswer[] => call.records.map(() => ({ ok: false, outcome }));
    if (call.via === 'refused') return everyRecord(call.outcome);
    if (call.via === 'bulk') {
      const rows = await runBulkJob(this.client, call.job, this.bulkPoll);
      return call.records.map((record, i) => (rows[i] === undefined ? undefined : bulkAnswer(rows[i], record)));
    }
    const res = await send(this.client, call.request);
    if (failed(res)) return everyRecord(res);
    return readCollectionResults(call.records.length, res.body).map((r, i) => collectionAnswer(r, call.records[i]));
  }

  private async replay(refs: readonly number[]): Promise<void> {
    let createdId: string | undefined;
    for (const ref of refs) {
      const skip = replaySkip(this.plan, ref, createdId);
      if (skip) {
        this.outcomes[ref].push(skip);
        continue;
      }
      await this.wave(planReplay(this.plan, ref, createdId), false);
      const last = this.outcomes[ref].at(-1);
      if (this.plan.writes[ref]?.kind === 'create' && last?.statusCode === 200 && last.result)
        createdId = last.result.id;
    }
  }
}
