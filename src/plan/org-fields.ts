// The fields one org really has, per object, as a plain value the planner takes (deliver/ learns
// them by describe). A custom field the org lacks would fail the whole write with INVALID_FIELD;
// the planner leaves it out instead and says so. Only custom fields (`…__c`) are ever left out:
// a standard field (the Lead table's and every other) is written as the rule says, so a real
// mistake there still fails loudly.
import type { FieldValue, Operation } from '../operation/operation.js';
import { isCustomName } from '../salesforce/api-names.js';

/** Lower-case object name → the lower-case names of the fields the org has on it. */
export type OrgFields = ReadonlyMap<string, ReadonlySet<string>>;

/** What delivery does with a custom field the org does not have: leave it out (default) or fail as Salesforce does. */
export type UnknownFieldPolicy = 'drop' | 'fail';

export const UNKNOWN_FIELD_POLICIES: readonly UnknownFieldPolicy[] = ['drop', 'fail'];

const hasCustomField = (fields: Record<string, FieldValue> | undefined): boolean =>
  fields !== undefined && Object.keys(fields).some(isCustomName);

/** The objects whose fields must be known to deliver these operations: those written with a custom field. */
export function objectsWithCustomFields(ops: readonly Operation[]): string[] {
  const objects = new Map<string, string>();
  for (const op of ops) {
    if (hasCustomField(op.fields) || hasCustomField(op.createFields)) objects.set(op.object.toLowerCase(), op.object);
    if (op.follow && hasCustomField(op.follow.fields)) objects.set(op.follow.object.toLowerCase(), op.follow.object);
  }
  return [...objects.values()];
}

/**
 * `fields` without the custom fields the org does not have on `object`, and those left out. An
 * object whose fields are not known keeps everything (Salesforce will say what is wrong).
 */
export function withoutUnknownFields(
  object: string,
  fields: Record<string, FieldValue>,
  org: OrgFields | undefined,
): { fields: Record<string, FieldValue>; dropped: string[] } {
  const known = org?.get(object.toLowerCase());
  if (!known) return { fields, dropped: [] };
  // This runs for every write of every delivery call, and nearly always leaves nothing out: find
  // what to leave out first, and copy the fields only when there is something.
  const names = Object.keys(fields);
  const dropped = names.filter((name) => isCustomName(name) && !known.has(name.toLowerCase()));
  if (dropped.length === 0) return { fields, dropped };
  const kept: Record<string, FieldValue> = {};
  for (const name of names) if (!dropped.includes(name)) kept[name] = fields[name];
  return { fields: kept, dropped };
}
