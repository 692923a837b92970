// Changes a test makes to the org between two syncs, the way they happen in a real org: updates
// (stamps move), soft deletes (IsDeleted, stamps move), hard deletes (gone from everything), a new
// custom field (existing rows get values without their stamps moving, as a formula or a default
// would), values changed without a stamp (a formula's definition changed), and a "late-committed"
// row whose SystemModstamp lies behind a time the sync has already passed.

import { sfDatetime } from './datetime.js';
import { generateOrg } from './generator.js';
import { AUDIT_FIELDS, type FieldMetadata, type ObjectMetadata } from './org/metadata.js';
import { Prng } from './prng.js';
import type { EmulatorState } from './state.js';
import type { FieldValues, StoredRecord } from './store.js';

/** Which rows: these Ids, or `count` live rows picked by a seeded draw (default seed 1). */
export interface RowChoice {
  ids?: string[];
  count?: number;
  seed?: number;
}

export interface UpdateSpec extends RowChoice {
  /** Field → new value for every chosen row; default: a new value for a few of the object's fields. */
  changes?: FieldValues;
  /** When it happened (default now); LastModifiedDate and SystemModstamp take it. */
  at?: string;
}

export interface AddFieldSpec {
  field: Omit<FieldMetadata, 'name'> & { name: string };
  /** Value for every existing row (stamps unchanged); omitted → the rows read null. */
  value?: unknown;
}

export interface LateRowSpec {
  /** Its SystemModstamp (and LastModifiedDate, CreatedDate): a datetime, or seconds before now. */
  systemModstamp?: string;
  secondsAgo?: number;
  values?: FieldValues;
}

export class OrgMutations {
  constructor(private readonly state: EmulatorState) {}

  private meta(objectName: string): ObjectMetadata {
    const meta = this.state.registry.get(objectName);
    if (!meta) throw new Error(`unknown object ${objectName}`);
    return meta;
  }

  /** The chosen rows; with `count`, live rows drawn without repeats in a seeded order. */
  choose(meta: ObjectMetadata, choice: RowChoice): StoredRecord[] {
    if (choice.ids) {
      return choice.ids.map((id) => {
        const r = this.state.store.get(meta.name, String(id));
        if (!r) throw new Error(`${meta.name} has no record ${String(id)}`);
        return r;
      });
    }
    const count = choice.count ?? 1;
    if (!Number.isInteger(count) || count < 0) throw new Error('count must be a non-negative integer');
    const live = this.state.store.live(meta.name);
    const rng = new Prng((choice.seed ?? 1) ^ 0x3a7e5);
    const out: StoredRecord[] = [];
    // Partial Fisher–Yates: `count` distinct rows without shuffling the whole table.
    for (let i = 0; i < Math.min(count, live.length); i++) {
      const j = i + rng.int(live.length - i);
      [live[i], live[j]] = [live[j], live[i]];
      out.push(live[i]);
    }
    return out;
  }

  private stamp(meta: ObjectMetadata, at: string | undefined): FieldValues {
    const when = at === undefined ? sfDatetime(this.state.now()) : sfDatetime(new Date(at));
    const out: FieldValues = {};
    if (meta.fields.LastModifiedDate) out.LastModifiedDate = when;
    if (meta.fields.SystemModstamp) out.SystemModstamp = when;
    return out;
  }

  update(objectName: string, spec: UpdateSpec): string[] {
    const meta = this.meta(objectName);
    const rows = this.choose(meta, spec);
    const fields = spec.changes ? undefined : changeableFields(meta);
    rows.forEach((r, k) => {
      const changes = spec.changes ? canonical(this.state, meta, spec.changes) : defaultChanges(fields ?? [], k);
      this.state.store.update(meta.name, r, { ...changes, ...this.stamp(meta, spec.at) });
    });
    return rows.map((r) => r.Id);
  }

  softDelete(objectName: string, spec: RowChoice & { at?: string }): string[] {
    const meta = this.meta(objectName);
    if (!meta.fields.IsDeleted) throw new Error(`${meta.name} has no IsDeleted: it cannot be soft-deleted`);
    const rows = this.choose(meta, spec);
    for (const r of rows) this.state.store.update(meta.name, r, { IsDeleted: true, ...this.stamp(meta, spec.at) });
    return rows.map((r) => r.Id);
  }

  hardDelete(objectName: string, spec: RowChoice): string[] {
    const meta = this.meta(objectName);
    const rows = this.choose(meta, spec);
    for (const r of rows) this.state.store.remove(meta.name, r);
    return rows.map((r) => r.Id);
  }

  addField(objectName: string, spec: AddFieldSpec): FieldMetadata {
    const meta = this.meta(objectName);
    if (!spec.field || typeof spec.field.name !== 'string') throw new Error('field needs a name and a type');
    const { name, ...rest } = spec.field;
    this.state.defineObject({ name: meta.name, fields: { [name]: rest } });
    const field = this.state.registry.field(meta.name, name) as FieldMetadata;
    if (spec.value !== undefined) {
      for (const r of this.state.store.all(meta.name)) r[field.name] = spec.value;
    }
    return field;
  }

  /** A custom field deleted in Setup: its values go with it; describe, queries and writes no longer know it. */
  removeField(objectName: string, fieldName: string): FieldMetadata {
    const meta = this.meta(objectName);
    const field = this.state.registry.removeField(meta.name, fieldName);
    for (const r of this.state.store.all(meta.name)) delete r[field.name];
    return field;
  }

  /** New values without moving any stamp (what a formula change looks like to a sync). */
  setValues(objectName: string, spec: RowChoice & { values: FieldValues; all?: boolean }): string[] {
    const meta = this.meta(objectName);
    const rows = spec.all ? this.state.store.all(meta.name) : this.choose(meta, spec);
    const values = canonical(this.state, meta, spec.values ?? {});
    for (const r of rows) Object.assign(r, values);
    return rows.map((r) => r.Id);
  }

  /** A row committed late: visible from now on, but stamped behind the sync's cursor. */
  insertLate(objectName: string, spec: LateRowSpec): StoredRecord {
    const meta = this.meta(objectName);
    const at =
      spec.systemModstamp !== undefined
        ? sfDatetime(new Date(spec.systemModstamp))
        : sfDatetime(this.state.now().getTime() - 1000 * (spec.secondsAgo ?? 300));
    const base = generateSample(this.state, meta);
    const values: FieldValues = { ...base, ...canonical(this.state, meta, spec.values ?? {}) };
    for (const f of ['CreatedDate', 'LastModifiedDate', 'SystemModstamp']) if (meta.fields[f]) values[f] = at;
    return this.state.records.insertRaw(meta, values);
  }
}

function canonical(state: EmulatorState, meta: ObjectMetadata, values: FieldValues): FieldValues {
  const out: FieldValues = {};
  for (const [k, v] of Object.entries(values)) {
    const f = state.registry.field(meta.name, k);
    if (!f) throw new Error(`No such column '${k}' on ${meta.name}`);
    out[f.name] = v;
  }
  return out;
}

/** Plain writable fields a user would edit (no audit, compound, formula or reference fields). */
function changeableFields(meta: ObjectMetadata): FieldMetadata[] {
  return Object.values(meta.fields)
    .filter(
      (f) =>
        !AUDIT_FIELDS.has(f.name) &&
        !f.readOnly &&
        !f.calculated &&
        ['string', 'picklist', 'double', 'currency', 'int', 'boolean', 'textarea', 'phone'].includes(f.type),
    )
    .slice(0, 3);
}

function defaultChanges(fields: FieldMetadata[], k: number): FieldValues {
  const out: FieldValues = {};
  for (const f of fields) {
    switch (f.type) {
      case 'picklist':
        out[f.name] = f.picklistValues?.[(k + 1) % Math.max(1, f.picklistValues.length)] ?? null;
        break;
      case 'double':
      case 'currency':
      case 'int':
        out[f.name] = 1000 + k;
        break;
      case 'boolean':
        out[f.name] = k % 2 === 0;
        break;
      default:
        out[f.name] = `updated ${k + 1}`.slice(0, f.length ?? 255);
    }
  }
  return out;
}

/** Values for one realistic row of the object (generated, then taken out of the store again). */
function generateSample(state: EmulatorState, meta: ObjectMetadata): FieldValues {
  const before = new Set(state.store.all(meta.name).map((r) => r.Id));
  generateOrg(state, { rows: 1, objects: [meta.name], seed: state.store.size() + 7, deletedShare: 0 });
  const added = state.store.all(meta.name).find((r) => !before.has(r.Id));
  if (!added) return {};
  state.store.remove(meta.name, added);
  const { Id: _id, IsDeleted: _deleted, ...values } = added;
  return values;
}
