// What to deliver again after Salesforce refused writes for a field the org does not have. It refuses
// a whole collections call or Bulk job for one record's unknown field, so the neighbours of that
// record are refused too though nothing of theirs was written. Deciding which refused operations
// deserve a second call is planning (pure, here); learning the fields again and sending is deliver's.
import type { Operation } from '../operation/operation.js';
import { isCustomName } from '../salesforce/api-names.js';
import type { PlannedEvent } from './delivery-planner.js';

/**
 * The refused operations worth a second look, by ref (index over all events' operations):
 * - `innocent`: refused naming a field another operation of this batch writes, which they do not
 *   write themselves — delivered again as they are, strict or not;
 * - `stale`: dropping operations that write the refused custom field themselves (deleted since the
 *   org was described) — worth sending again only once the field list, described again, lacks it.
 * A strict operation that writes the field keeps its refusal, as does any other refusal.
 */
export interface UnknownFieldTriage {
  innocent: number[];
  stale: Map<number, string>;
}

/**
 * `refused[ref]`: the field a refusal of that operation named, if any. `canDescribe`: whether the
 * org's fields can be learned again (without a field cache nothing is ever dropped, so nothing is stale).
 * Undefined when no refusal named a field: the usual case costs no index of the written fields.
 */
export function triageUnknownFields(
  events: readonly PlannedEvent[],
  refused: ReadonlyArray<string | undefined>,
  canDescribe: boolean,
): UnknownFieldTriage | undefined {
  if (refused.every((f) => f === undefined)) return undefined;
  const ops = events.flatMap((e) => e.operations ?? []);
  const policyOf = events.flatMap((e) => (e.operations ?? []).map(() => e.unknownFields));
  const writes = ops.map(
    (op) =>
      new Set(
        [op.fields, op.createFields ?? {}, op.follow?.fields ?? {}].flatMap((body) =>
          Object.keys(body).map((f) => f.toLowerCase()),
        ),
      ),
  );
  const written = new Set(writes.flatMap((w) => [...w]));
  const triage: UnknownFieldTriage = { innocent: [], stale: new Map() };
  refused.forEach((named, ref) => {
    const field = named?.toLowerCase();
    if (field === undefined || !written.has(field)) return;
    if (!writes[ref].has(field)) triage.innocent.push(ref);
    else if (canDescribe && isCustomName(field) && policyOf[ref] !== 'fail') triage.stale.set(ref, field);
  });
  return triage;
}

/**
 * The refs to deliver again, in order: the innocent ones, and the stale ones whose field a list
 * described again no longer has (a list that still has it would be refused the same way). `lists`
 * are the refreshed field lists (lower-case names), undefined where the describe failed.
 */
export function refsToRedeliver(
  triage: UnknownFieldTriage,
  lists: ReadonlyArray<ReadonlySet<string> | undefined>,
): number[] {
  const refreshed = [...triage.stale]
    .filter(([, field]) => lists.some((list) => list === undefined || !list.has(field)))
    .map(([ref]) => ref);
  return [...triage.innocent, ...refreshed].sort((a, b) => a - b);
}

/**
 * The second delivery's events: the chosen operations, grouped by the event they belong to (so an
 * event's operations stay together and keep its policy), with `refsOf[k]` the ref of the k-th one.
 */
export function replayEvents(
  events: readonly PlannedEvent[],
  refs: readonly number[],
): { events: PlannedEvent[]; refsOf: number[] } {
  const ops: Operation[] = [];
  const eventOf: number[] = [];
  events.forEach((e, i) => {
    for (const op of e.operations ?? []) {
      ops.push(op);
      eventOf.push(i);
    }
  });
  const again: Array<PlannedEvent & { operations: Operation[] }> = [];
  const refsOf: number[] = [];
  for (const ref of refs) {
    const e = eventOf[ref];
    const last = again.at(-1);
    if (last && eventOf[refsOf.at(-1) ?? -1] === e) last.operations.push(ops[ref]);
    else again.push({ operations: [ops[ref]], unknownFields: events[e].unknownFields });
    refsOf.push(ref);
  }
  return { events: again, refsOf };
}
