// Builds the field map of one record: values fitted to each field's type and length, keys that
// cannot be Salesforce fields set aside with a reason (never silently, never sent broken).
import type { FieldValue, Skipped } from '../operation/operation.js';
import { isApiName, isCustomName } from '../salesforce/api-names.js';
import { resolveFieldName } from '../salesforce/object-catalog.js';
import type { FieldMetadata, ObjectMetadata } from '../salesforce/object-metadata.js';
import { coerceForField } from '../salesforce/field-values.js';
import { trimToLength } from '../salesforce/trim.js';
import { fieldStore, fitsAsIs, type FieldStore } from './compiled-fill.js';
import { EventError } from './event-error.js';
import type { CustomFieldRule } from './rule.js';

/** Keys that would reach an object's prototype if copied naively: never fields, never sent. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Salesforce custom field names: no double underscore inside, no trailing underscore. */
const CUSTOM_STEM = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*[A-Za-z0-9]$|^[A-Za-z]$/;

/**
 * The value as the field will store it: fitted to its type (groupId 813 → '813' for a text field,
 * "2024-05-02T10:00:00+02:00" → the UTC instant for a datetime) and, when trimming is on, cut to
 * its length. The one rule for written values AND record matchers: a matcher looked up in another
 * form than the one written would never find the record it created (a new duplicate per event).
 */
export function storedForm(
  meta: FieldMetadata | undefined,
  value: unknown,
  trim: boolean,
): { value: FieldValue; trimmedFrom?: number } | { error: string } {
  const fitted = coerceForField(meta, value);
  if ('error' in fitted) return fitted;
  const v = fitted.value;
  if (trim && typeof v === 'string' && meta?.length !== undefined) {
    const cut = trimToLength(v, meta.length);
    if (cut !== v) return { value: cut, trimmedFrom: [...v].length };
  }
  return { value: v };
}

export class RecordBuilder {
  // A plain object is safe here: every key written is a validated API name (a letter first), so
  // `__proto__`, `constructor` and `prototype` can never be assigned as fields.
  readonly fields: Record<string, FieldValue> = {};
  readonly skipped: Skipped[] = [];

  constructor(
    readonly meta: ObjectMetadata | undefined,
    readonly trim: boolean,
    readonly object: string,
  ) {}

  has(field: string): boolean {
    return Object.hasOwn(this.fields, field);
  }

  /**
   * Sets `field` from an evaluated value. `source` says where the value came from, for messages.
   * A value of the wrong type for the field is the event's error (Salesforce would refuse the
   * whole record); an object where a single value belongs is set aside with a reason.
   */
  set(field: string, value: unknown, source: string): void {
    if (value === undefined) return;
    this.setWith(field, this.meta?.fields[field], value, source);
  }

  /** `set` with the field's metadata already looked up (the field table resolves it once per object). */
  setWith(field: string, meta: FieldMetadata | undefined, value: unknown, source: string): void {
    if (value === undefined) return;
    if (Array.isArray(value)) {
      if (value.some((v) => v !== null && typeof v === 'object')) {
        this.skipped.push({ key: source, reason: `${field} takes one value, ${source} is a list of objects` });
        return;
      }
      // A reference holds one record Id: joining two Ids with ';' would name no record at all.
      if (meta?.type === 'reference' || meta?.type === 'id') {
        throw new EventError(
          `${this.object}.${field} (from ${source}) takes one record Id, not a list of ${value.length}`,
          'INVALID_FIELD_VALUE',
        );
      }
      value = value.join(';'); // a multi-select picklist's choices, as Salesforce stores them
    } else if (value !== null && typeof value === 'object') {
      this.skipped.push({ key: source, reason: `${field} takes one value, ${source} is an object` });
      return;
    }
    const fitted = storedForm(meta, value, this.trim);
    if ('error' in fitted) {
      throw new EventError(
        `${this.object}.${field} (from ${source}): ${fitted.error.replace(/^[^:]*: /, '')}`,
        'INVALID_FIELD_VALUE',
      );
    }
    this.store(field, fitted.value);
  }

  /** A value that already fits its field, stored. */
  private store(field: string, value: FieldValue): void {
    // Through a store compiled for the name, so the field map keeps V8's fast shape (fieldStore);
    // Object.defineProperty keeps it too but cost more than it saved (Contact 1.12-1.17x).
    fieldStore(field)(this.fields, value);
  }

  /**
   * Keys of `from` that the field table did not use become fields: as they are when the key
   * already is one of the object's field API names (`Email`, never `Email__c`), else with the
   * suffix (`testProp` → `testProp__c`, casing kept). The field table's values win. How each key
   * is written was decided once for this table and object (`names`).
   */
  addCustom(from: unknown, names: CustomFieldNames): void {
    if (from === undefined || from === null || typeof from !== 'object' || Array.isArray(from)) return;
    for (const key in from) {
      if (!Object.hasOwn(from, key)) continue;
      const k = names.of(key);
      if (k.kind === 'ignored') continue;
      if (k.kind === 'reserved') {
        this.skipped.push({ key: k.source, reason: k.reason });
        continue;
      }
      const value = (from as Record<string, unknown>)[key];
      if (value === undefined) continue;
      if (k.kind !== 'field') this.skipped.push({ key: k.source, reason: k.reason });
      else if (this.has(k.name)) continue;
      // Most custom values are short strings for fields the catalog does not know: stored as they are.
      else if (k.fits[this.trim ? 1 : 0](value)) k.store(this.fields, value as FieldValue);
      else this.setWith(k.name, k.meta, value, k.source);
    }
  }

  /** Every key of `from` as a field name unchanged (mapProperties: false, objects with no table). */
  addAsIs(from: unknown, sourceRoot: string, except: ReadonlySet<string> = new Set()): void {
    if (from === undefined || from === null || typeof from !== 'object' || Array.isArray(from)) return;
    for (const key of Object.keys(from)) {
      if (except.has(key)) continue;
      const source = `${sourceRoot}.${key}`;
      if (RESERVED_KEYS.has(key)) {
        this.skipped.push({ key: source, reason: 'reserved key, never sent' });
        continue;
      }
      const value = (from as Record<string, unknown>)[key];
      if (value === undefined) continue;
      const field = this.asIsFieldName(key);
      if ('reason' in field) {
        this.skipped.push({ key: source, reason: field.reason });
        continue;
      }
      this.set(field.name, value, source);
    }
  }

  private asIsFieldName(key: string): { name: string } | { reason: string } {
    if (!isApiName(key)) return { reason: `"${key}" is not a Salesforce field name` };
    const name = (this.meta && resolveFieldName(this.meta, key)) ?? key;
    if (this.meta?.fields[name]?.readOnly) return { reason: `${this.object}.${name} is read-only` };
    if (this.meta && !this.meta.fields[name] && !isCustomName(name))
      return { reason: `${this.object} has no field ${name}` };
    return { name };
  }
}

/** How one key of a custom-field source is written, decided once per (field table, object, key). */
export type CustomKey =
  | { kind: 'ignored' }
  | { kind: 'reserved' | 'skipped'; source: string; reason: string }
  | {
      kind: 'field';
      source: string;
      name: string;
      meta: FieldMetadata | undefined;
      /** Whether a value is stored as it is, without trimming [0] and with [1] (else setWith decides). */
      fits: readonly [(v: unknown) => boolean, (v: unknown) => boolean];
      store: FieldStore;
    };

const IGNORED: CustomKey = { kind: 'ignored' };
/** Keys are the client's: past this many per table and object, decisions are made afresh each time. */
const MAX_REMEMBERED_KEYS = 2000;

export class CustomFieldNames {
  private readonly known = new Map<string, CustomKey>();

  constructor(
    readonly meta: ObjectMetadata | undefined,
    private readonly object: string,
    private readonly rule: CustomFieldRule,
    /** Keys the field table's expressions read: its values win, so they are not custom fields. */
    private readonly consumed: ReadonlySet<string>,
    /** `traits` for `from: $traits`: how set-aside keys are named in messages. */
    private readonly sourceRoot: string,
  ) {}

  of(key: string): CustomKey {
    let k = this.known.get(key);
    if (k === undefined) {
      k = this.decide(key);
      if (this.known.size < MAX_REMEMBERED_KEYS) this.known.set(key, k);
    }
    return k;
  }

  private decide(key: string): CustomKey {
    if (this.consumed.has(key) || this.rule.except.has(key)) return IGNORED;
    const source = `${this.sourceRoot}.${key}`;
    if (RESERVED_KEYS.has(key)) return { kind: 'reserved', source, reason: 'reserved key, never sent' };
    const skip = (reason: string): CustomKey => ({ kind: 'skipped', source, reason });
    const field = (name: string): CustomKey => {
      const meta = this.meta && Object.hasOwn(this.meta.fields, name) ? this.meta.fields[name] : undefined;
      const fits = [fitsAsIs(meta, false), fitsAsIs(meta, true)] as const;
      return { kind: 'field', source, name, meta, fits, store: fieldStore(name) };
    };
    const suffix = this.rule.suffix;
    if (this.meta && Object.hasOwn(this.meta.fields, key)) {
      return this.meta.fields[key].readOnly ? skip(`${this.object}.${key} is read-only`) : field(key);
    }
    if (this.rule.setAside.has(key))
      return skip(`"${key}" is a spec trait with no ${this.object} field; it is not sent as a custom field`);
    // A trait named like a read-only system field in another casing (createdById, isConverted) is
    // the system's value, not a custom field: `createdById__c` would fail the whole write.
    const system = this.meta && resolveFieldName(this.meta, key);
    if (system && this.meta.fields[system].readOnly)
      return skip(`${this.object}.${system} is read-only (from ${key}); not sent as a custom field`);
    if (!isApiName(key))
      return skip(`"${key}" cannot be a Salesforce field name (letters, digits and _ only, starting with a letter)`);
    if (suffix !== '' && key.toLowerCase().endsWith(suffix.toLowerCase())) return field(key);
    if (!CUSTOM_STEM.test(key))
      return skip(`"${key}${suffix}" cannot be a Salesforce custom field name (no double or trailing underscore)`);
    return field(key + suffix);
  }
}
