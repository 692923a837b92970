// Several events of one batch that write the same record become one write, where that keeps
// their meaning: updates of one Id merge (later values win), upserts of one external id merge,
// and the events that all found no record for the same lookup create it once: the first one
// creates (with its create-only defaults), the later ones only add their fields, as they would
// have updated the record the first one created. Writes of one record that cannot merge (an
// update then a delete) go to successive waves, in event order.
import type * as schema from '../generated/plan.js';
import type { FieldValue } from '../operation/operation.js';

export type WriteKind = schema.WriteKind;

/** One operation's write, as the Plan records it (schemas/plan.schema.json "writeIntent"). */
export type WriteIntent = schema.WriteIntent;

export interface WriteUnit {
  object: string;
  kind: WriteKind;
  id?: string;
  externalId?: { field: string; value: string };
  body: Record<string, FieldValue>;
  /** The intents merged into this write, in event order; the first one is the one that creates. */
  refs: number[];
  /** Refs (also in `refs`) of sync-mode-add creates merged into this one: they skip the record it creates. */
  skips?: number[];
  bulk: boolean;
}

export interface MergeOptions {
  /** false: every intent is its own write (used to replay a merged write that failed). */
  merge?: boolean;
}

function idKey(id: string): string {
  // Salesforce answers with 18-character Ids; a 15-character one names the same record.
  return id.length === 18 ? id.slice(0, 15) : id;
}

/**
 * Exact identity (what may merge) and folded identity (what may not share a call unmerged);
 * undefined for a write no other can touch (a plain create). Writes of distinct folded identities
 * all go in the first wave, unmerged.
 */
export function recordIdentity(intent: Omit<WriteIntent, 'ref'>): { exact: string; folded: string } | undefined {
  const object = intent.object.toLowerCase();
  if ((intent.kind === 'update' || intent.kind === 'delete') && intent.id) {
    const k = `${object}\u0000id\u0000${idKey(intent.id)}`;
    return { exact: k, folded: k };
  }
  if (intent.kind === 'upsert' && intent.externalId) {
    // An external id field may or may not be case-sensitive; values equal but for case must not
    // share one call (Salesforce would see a duplicate) nor merge (they may be two records).
    const base = `${object}\u0000ext\u0000${intent.externalId.field.toLowerCase()}\u0000`;
    return { exact: base + intent.externalId.value, folded: base + intent.externalId.value.toLowerCase() };
  }
  if (intent.kind === 'create' && intent.sameNewRecord !== undefined) {
    const k = `${object}\u0000new\u0000${intent.sameNewRecord}`;
    return { exact: k, folded: k };
  }
  return undefined;
}

/**
 * The fields one write sends: a create's create-only defaults first, its fields winning. Without
 * create-only defaults that is the intent's own `fields` object, not a copy.
 */
export function writeFields(intent: Pick<WriteIntent, 'kind' | 'fields' | 'createFields'>): Record<string, FieldValue> {
  return intent.kind === 'create' && intent.createFields ? { ...intent.createFields, ...intent.fields } : intent.fields;
}

/** Waves of writes: every write of a wave may run at the same time as the others. */
export function mergeWrites(intents: readonly WriteIntent[], options: MergeOptions = {}): WriteUnit[][] {
  const merge = options.merge !== false;
  const waves: WriteUnit[][] = [];
  const open = new Map<string, { unit: WriteUnit; wave: number }>(); // exact identity → where later intents merge
  const lastWave = new Map<string, number>(); // folded identity → the last wave that writes it
  const place = (unit: WriteUnit, wave: number): void => {
    while (waves.length <= wave) waves.push([]);
    waves[wave].push(unit);
  };
  for (const intent of intents) {
    const who = recordIdentity(intent);
    const fields = writeFields(intent);
    const unit: WriteUnit = {
      object: intent.object,
      kind: intent.kind,
      // A body later intents may merge into: never the intent's own object.
      body: fields === intent.fields ? { ...fields } : fields,
      refs: [intent.ref],
      bulk: intent.bulk === true,
    };
    if (intent.id !== undefined) unit.id = intent.id;
    if (intent.externalId) unit.externalId = intent.externalId;
    if (!who) {
      place(unit, 0);
      continue;
    }
    const opened = open.get(who.exact);
    // Merge only into the last write of this record: merging past a write in between would reorder.
    const target = opened && opened.wave === lastWave.get(who.folded) ? opened.unit : undefined;
    if (merge && target && target.kind === intent.kind) {
      // Later values win; create-only defaults come only from the first (creating) intent.
      if (intent.addOnly) (target.skips ??= []).push(intent.ref);
      else Object.assign(target.body, intent.fields);
      target.refs.push(intent.ref);
      target.bulk = target.bulk && intent.bulk === true;
      continue;
    }
    const wave = (lastWave.get(who.folded) ?? -1) + 1;
    place(unit, wave);
    lastWave.set(who.folded, wave);
    open.set(who.exact, { unit, wave });
  }
  return waves;
}
