// Builds the field map of one record: values fitted to each field's type and length, keys that
// cannot be Salesforce fields set aside with a reason (never silently, never sent broken).
import type { FieldValue, Skipped } from '../operation/operation.js';
import { isApiName } from '../salesforce/api-names.js';
import { resolveFieldName } from '../salesforce/object-catalog.js';
import type { FieldMetadata, ObjectMetadata } from '../salesforce/object-metadata.js';
import { coerceForField } from '../salesforce/field-values.js';
import { trimToLength } from '../salesforce/trim.js';
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
export function storedForm(meta: FieldMetadata | undefined, value: unknown, trim: boolean): { value: FieldValue; trimmedFrom?: number } | { error: string } {
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
    private readonly trim: boolean,
    private readonly object: string,
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
        throw new EventError(`${this.object}.${field} (from ${source}) takes one record Id, not a list of ${value.length}`, 'INVALID_FIELD_VALUE');
      }
      value = value.join(';'); // a multi-select picklist's choices, as Salesforce stores them
    } else if (value !== null && typeof value === 'object') {
      this.skipped.push({ key: source, reason: `${field} takes one value, ${source} is an object` });
      return;
    }
    const fitted = storedForm(meta, value, this.trim);
    if ('error' in fitted) {
      throw new EventError(`${this.object}.${field} (from ${source}): ${fitted.error.replace(/^[^:]*: /, '')}`, 'INVALID_FIELD_VALUE');
    }
    this.fields[field] = fitted.value;
  }

  /**
   * Keys of `from` that the field table did not use become fields: as they are when the key
   * already is one of the object's field API names (`Email`, never `Email__c`), else with the
   * suffix (`testProp` → `testProp__c`, casing kept). The field table's values win.
   */
  addCustom(from: unknown, rule: CustomFieldRule, consumed: ReadonlySet<string>, sourceRoot: string): void {
    this.addKeys(from, sourceRoot, (key) => consumed.has(key) || rule.except.has(key), (key) => this.customFieldName(key, rule), true);
  }

  /** Every key of `from` as a field name unchanged (mapProperties: false, objects with no table). */
  addAsIs(from: unknown, sourceRoot: string, except: ReadonlySet<string> = new Set()): void {
    this.addKeys(from, sourceRoot, (key) => except.has(key), (key) => this.asIsFieldName(key), false);
  }

  /** The one loop over an object's keys: reserved and unnameable keys set aside with a reason. */
  private addKeys(
    from: unknown,
    sourceRoot: string,
    ignore: (key: string) => boolean,
    nameOf: (key: string) => { name: string } | { reason: string },
    keepExisting: boolean,
  ): void {
    if (from === undefined || from === null || typeof from !== 'object' || Array.isArray(from)) return;
    for (const key of Object.keys(from)) {
      if (ignore(key)) continue;
      const source = `${sourceRoot}.${key}`;
      if (RESERVED_KEYS.has(key)) {
        this.skipped.push({ key: source, reason: 'reserved key, never sent' });
        continue;
      }
      const value = (from as Record<string, unknown>)[key];
      if (value === undefined) continue;
      const field = nameOf(key);
      if ('reason' in field) {
        this.skipped.push({ key: source, reason: field.reason });
        continue;
      }
      if (keepExisting && this.has(field.name)) continue;
      this.set(field.name, value, source);
    }
  }

  private asIsFieldName(key: string): { name: string } | { reason: string } {
    if (!isApiName(key)) return { reason: `"${key}" is not a Salesforce field name` };
    const name = (this.meta && resolveFieldName(this.meta, key)) ?? key;
    if (this.meta?.fields[name]?.readOnly) return { reason: `${this.object}.${name} is read-only` };
    if (this.meta && !this.meta.fields[name] && !/__c$/i.test(name)) return { reason: `${this.object} has no field ${name}` };
    return { name };
  }

  private customFieldName(key: string, rule: CustomFieldRule): { name: string } | { reason: string } {
    const suffix = rule.suffix;
    if (this.meta && Object.hasOwn(this.meta.fields, key)) {
      return this.meta.fields[key].readOnly ? { reason: `${this.object}.${key} is read-only` } : { name: key };
    }
    if (rule.setAside.has(key)) return { reason: `"${key}" is a spec trait with no ${this.object} field; it is not sent as a custom field` };
    // A trait named like a read-only system field in another casing (createdById, isConverted) is
    // the system's value, not a custom field: `createdById__c` would fail the whole write.
    const system = this.meta && resolveFieldName(this.meta, key);
    if (system && this.meta.fields[system].readOnly) return { reason: `${this.object}.${system} is read-only (from ${key}); not sent as a custom field` };
    if (!isApiName(key)) return { reason: `"${key}" cannot be a Salesforce field name (letters, digits and _ only, starting with a letter)` };
    if (suffix !== '' && key.toLowerCase().endsWith(suffix.toLowerCase())) return { name: key };
    if (!CUSTOM_STEM.test(key)) return { reason: `"${key}${suffix}" cannot be a Salesforce custom field name (no double or trailing underscore)` };
    return { name: key + suffix };
  }
}
