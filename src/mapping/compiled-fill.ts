// A rule's field table on one object, compiled once into one function: straight-line code that reads
// each field's value and stores it, instead of a loop over the table. In a loop every value goes
// through the same call sites (the expression's closure, the field's coercion), so V8 sees dozens of
// targets there and can inline none; here each field has its own call site, and a value that already
// fits its field (a string short enough for a text field, a boolean for a checkbox) is stored on the
// spot. Anything else takes RecordBuilder.setWith, the one place that coerces, trims and refuses.
//
// The code is generated from the table, so it must never carry a mapping's text: the only things
// written into it are array indexes, field names that passed the API-name check (letters, digits
// and `_`; quoted with JSON.stringify all the same) and field lengths that are safe integers.
// Expressions, metadata and names are passed in as values, never as source.
import { isApiName } from '../salesforce/api-names.js';
import { NUMBER_TYPES, TEXT_TYPES, type FieldMetadata } from '../salesforce/object-metadata.js';
import type { Evaluations } from './evaluation.js';
import { pathCode } from './expression-code.js';
import { NEEDS_JSONATA, type CompiledExpression, type Scope } from './expression.js';
import type { FieldValue } from '../operation/operation.js';
import type { RecordBuilder } from './record-fields.js';
import type { CompiledField } from './rule.js';

export type Fill = (ev: Evaluations, record: RecordBuilder, scope: Scope, rule: string) => void;

/**
 * The condition (on `v`) under which a value is stored as it is: exactly the values setWith would
 * store unchanged for this field. `false` sends every value to setWith.
 */
function storedAsIs(meta: FieldMetadata | undefined, trim: boolean): string {
  // null clears any field; a field the catalog does not know takes any finite scalar unchanged.
  if (!meta) return "v === null || typeof v === 'string' || typeof v === 'boolean'";
  if (TEXT_TYPES.has(meta.type)) {
    if (!trim || meta.length === undefined) return "v === null || typeof v === 'string'";
    // UTF-16 units ≥ characters: a string short in units fits; a longer one is measured by setWith.
    return Number.isSafeInteger(meta.length)
      ? `v === null || (typeof v === 'string' && v.length <= ${meta.length})`
      : 'v === null';
  }
  if (meta.type === 'boolean') return "v === null || typeof v === 'boolean'";
  if (meta.type === 'int') return "v === null || (typeof v === 'number' && Number.isInteger(v))";
  if (NUMBER_TYPES.has(meta.type)) return "v === null || (typeof v === 'number' && Number.isFinite(v))";
  return 'v === null';
}

/** Code that leaves the value in `v`: inline for plain paths and $coalesce of them, else a call. */
function valueCode(expr: CompiledExpression, i: number): string {
  const plain = expr.plain;
  if (!plain) return `v = now${i}(scope);`;
  if (!plain.coalesce) return `${pathCode(plain.paths[0])} v = t;`;
  // $coalesce: the first argument that is present (not undefined, null or '').
  const args = plain.paths.map(
    (p) => `${pathCode(p)} if (t === NEEDS || (t !== undefined && t !== null && t !== '')) { v = t; break; }`,
  );
  return `v = undefined; do { ${args.join(' ')} } while (false);`;
}

const fitsByCondition = new Map<string, (v: unknown) => boolean>();

/**
 * Whether a value is stored as it is in a field with `meta` (the same condition the compiled
 * tables inline), as a function: for fields decided at run time, such as custom fields.
 */
export function fitsAsIs(meta: FieldMetadata | undefined, trim: boolean): (v: unknown) => boolean {
  const condition = storedAsIs(meta, trim);
  let fits = fitsByCondition.get(condition);
  if (!fits) {
    // The condition holds only fixed code and safe-integer lengths (storedAsIs); few distinct ones exist.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see storedAsIs: no mapping text
    fits = new Function('v', `return ${condition};`) as (v: unknown) => boolean;
    fitsByCondition.set(condition, fits);
  }
  return fits;
}

/** Stores one field's value into a record's field map. */
export type FieldStore = (fields: Record<string, FieldValue>, value: FieldValue) => void;

const storesByName = new Map<string, FieldStore>();
/** Field names come from events (custom traits): past this many, stores are not compiled. */
const MAX_COMPILED_STORES = 10_000;
const keyedStore =
  (name: string): FieldStore =>
  (fields, value) => {
    fields[name] = value;
  };

/**
 * A store of the field `name` written with the name as a constant, as the compiled tables write
 * theirs. V8 turns an object into a hash map once more than a dozen or so of its properties were
 * added under computed keys (`fields[name] = v`), not under constant ones: a Lead (17 fields from
 * its table, then custom ones) then became one, and JSON.stringify writes those more slowly.
 * Compiled once per name, and only for names that passed the API-name check (letters, digits and
 * `_`, quoted with JSON.stringify all the same); any other name gets a computed-key store.
 */
export function fieldStore(name: string): FieldStore {
  let store = storesByName.get(name);
  if (store) return store;
  if (!isApiName(name) || storesByName.size >= MAX_COMPILED_STORES) return keyedStore(name);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a checked API name only (see above)
  store = new Function('fields', 'value', `fields[${JSON.stringify(name)}] = value;`) as FieldStore;
  storesByName.set(name, store);
  return store;
}

/** `fields` (with their metadata on the target object, in the same order) as one Fill. */
export function compileFill(
  fields: readonly CompiledField[],
  metas: readonly (FieldMetadata | undefined)[],
  trim: boolean,
): Fill {
  const names: string[] = ['NEEDS', 'F', 'M'];
  const values: unknown[] = [NEEDS_JSONATA, fields, metas];
  const body: string[] = ['const out = record.fields;', `const at = ev.reserve(${fields.length});`, 'let v, t;'];
  for (let i = 0; i < fields.length; i++) {
    names.push(`now${i}`);
    values.push(fields[i].expr.now);
    const name = fields[i].field;
    const target = isApiName(name) ? `out[${JSON.stringify(name)}]` : `out[F[${i}].field]`;
    body.push(
      valueCode(fields[i].expr, i),
      `if (v === NEEDS) v = ev.jsonata(at + ${i}, F[${i}].expr, scope, rule, F[${i}].where);`,
      `if (v !== undefined) { if (${storedAsIs(metas[i], trim)}) ${target} = v; else record.setWith(F[${i}].field, M[${i}], v, F[${i}].expr.source); }`,
    );
  }
  const source = `return function fill(ev, record, scope, rule) {\n${body.join('\n')}\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from indexes and checked names only (see above)
  return new Function(...names, source)(...values) as Fill;
}
