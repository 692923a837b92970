// One fired rule + one event → one Operation (or the event's 400). Pure.
import type { FieldValue, Operation } from '../operation/operation.js';
import { checkHttpSteps, httpSteps } from '../plan/http-steps.js';
import { isApiName } from '../salesforce/api-names.js';
import { resolveFieldName, resolveObjectName } from '../salesforce/object-catalog.js';
import type { FieldMetadata, ObjectCatalog, ObjectMetadata } from '../salesforce/object-metadata.js';
import { isRecordId } from '../salesforce/record-id.js';
import { EventError } from './event-error.js';
import type { Evaluations } from './evaluation.js';
import type { Scope } from './expression.js';
import type { ActiveRule, FieldTable } from './mapping-set.js';
import { RecordBuilder, storedForm } from './record-fields.js';
import { isCustomName } from '../salesforce/api-names.js';
import type { Settings } from './settings.js';

/** An update whose every value was set aside: no call is worth making for it. */
export class NothingToWrite extends Error {}

/** A routed rule's target, from one context.externalId entry. */
export interface RouteTarget {
  object: string;
  /** Where the entry is in the event, for messages: `context.externalId[1]`. */
  place: string;
  idField: string;
  /** Absent: the entry names no record, so one is created (seed 003). */
  id?: string | number;
}

export function buildOperation(
  ev: Evaluations,
  active: ActiveRule,
  scope: Scope,
  settings: Settings,
  catalog: ObjectCatalog,
  route?: RouteTarget,
  http = true,
): Operation {
  const rule = active.rule;
  const object = route?.object ?? rule.object!;
  const meta = catalog.get(object);

  const record = new RecordBuilder(meta, settings.trimToFieldLength, object);
  const warnings: string[] = [];
  const asIs = rule.sendAsIs ? Boolean(ev.value(rule.sendAsIs, scope, rule.name, 'sendAsIs')) : false;
  fillFields(ev, record, active.table, asIs, scope, rule.name);

  const op: Operation = { mapping: rule.name, object, operation: rule.operation, fields: record.fields };

  // Create-only defaults: only for fields the event left empty, and never sent on update.
  const create = new RecordBuilder(meta, settings.trimToFieldLength, object);
  for (const d of rule.createDefaults) {
    if (record.has(d.field) && record.fields[d.field] !== null && record.fields[d.field] !== '') continue;
    create.set(d.field, ev.value(d.expr, scope, rule.name, d.where), d.where);
  }

  for (const field of rule.required) {
    const v = record.fields[field] ?? create.fields[field];
    if (v === undefined || v === null || v === '') {
      const expr = active.table.fields.find((f) => f.field === field)?.expr.source;
      throw new EventError(
        `${object}.${field} needs a value${expr ? `: ${expr} gave none` : ''} (mapping ${rule.name})`,
        'MISSING_REQUIRED_FIELD',
      );
    }
  }

  if (route) {
    if (route.id === undefined) {
      op.operation = 'create';
    } else if (route.idField === 'Id') {
      if (!isRecordId(route.id)) {
        throw new EventError(
          `${route.place}.id ${JSON.stringify(route.id)} is not a Salesforce record Id (15 or 18 letters and digits)`,
          'INVALID_EXTERNAL_ID',
        );
      }
      op.recordId = route.id;
      if (op.operation === 'upsert') op.operation = 'update';
    } else {
      // Found by another field; created with that field set when no record has it. The warehouse
      // may spell the field in its own case (`email`): lookup and create use the field's own name.
      const idField = (meta && resolveFieldName(meta, route.idField)) ?? route.idField;
      op.match = { operator: 'OR', fields: { [idField]: route.id } };
      if (!record.has(idField) && op.operation !== 'delete') create.set(idField, route.id, `${route.place}.id`);
    }
  }

  if (rule.recordId) {
    const id = ev.value(rule.recordId, scope, rule.name, 'recordId');
    if (id === undefined || id === null || id === '')
      throw new EventError(
        `no value for recordId (${rule.recordId.source}) in mapping ${rule.name}`,
        'MISSING_MATCH_VALUE',
      );
    if (!isRecordId(id))
      throw new EventError(
        `recordId ${JSON.stringify(id)} (from ${rule.recordId.source}) is not a Salesforce record Id`,
        'INVALID_RECORD_ID',
      );
    op.recordId = id;
  }
  if (rule.externalId) {
    const v = ev.value(rule.externalId.value, scope, rule.name, 'externalId.value');
    if (v === undefined || v === null || v === '' || typeof v === 'object') {
      throw new EventError(
        `no value for external id ${rule.externalId.field} (${rule.externalId.value.source}) in mapping ${rule.name}`,
        'MISSING_MATCH_VALUE',
      );
    }
    const key = String(v);
    if (/^\.{1,2}$/.test(key)) {
      throw new EventError(
        `external id ${rule.externalId.field} "${key}" (from ${rule.externalId.value.source}) cannot name a record in a URL`,
        'INVALID_EXTERNAL_ID',
      );
    }
    op.externalId = { field: rule.externalId.field, value: key };
  }
  if (rule.match && !op.recordId) {
    const fields = matchValues(ev, active, scope, meta, settings.trimToFieldLength, warnings);
    // A record Id is the record: no lookup is needed to update or delete it.
    const keys = Object.keys(fields);
    if (keys.length === 1 && keys[0] === 'Id' && op.operation !== 'upsert') op.recordId = fields.Id as string;
    else op.match = { operator: rule.match.operator, fields };
    // Seed 001's upsert (match UserId__c = userId, fields Email/Phone) must store UserId__c on the
    // record it creates, or the next event finds nothing and creates another. Equality matchers go
    // into the created record unless the rule says createWithMatch: false.
    if (op.match && (op.operation === 'upsert' || op.operation === 'create') && rule.createWithMatch) {
      for (const [field, value] of Object.entries(op.match.fields)) {
        if (value === null || record.has(field) || create.has(field)) continue;
        const f = meta && resolveFieldName(meta, field);
        if (f && meta.fields[f].readOnly) continue;
        create.fields[f ?? field] = value;
      }
    }
  }

  if (Object.keys(create.fields).length > 0) op.createFields = create.fields;
  if (op.operation === 'create') requireOnCreate(op, catalog);

  if (rule.follow && active.followTable && ev.value(rule.follow.enabled, scope, rule.name, 'follow.enabled')) {
    const target = catalog.get(rule.follow.object);
    const follow = new RecordBuilder(target, settings.trimToFieldLength, rule.follow.object);
    fillFields(ev, follow, active.followTable, asIs, scope, rule.name);
    record.skipped.push(...follow.skipped.filter((s) => !record.skipped.some((r) => r.key === s.key)));
    op.followConvertedLead = true;
    op.follow = {
      when: rule.follow.when,
      idField: rule.follow.idField,
      object: rule.follow.object,
      fields: follow.fields,
    };
  }
  if (
    rule.whenNotFound === 'skip' &&
    (op.operation === 'update' || op.operation === 'delete') &&
    op.recordId === undefined
  )
    op.whenNotFound = 'skip';
  if (rule.bulk) op.bulk = true;
  if (record.skipped.length > 0) op.skipped = record.skipped;
  if (warnings.length > 0) op.warnings = warnings;
  if (op.operation === 'update' && Object.keys(op.fields).length === 0 && !op.follow) {
    const why = record.skipped.map((s) => `${s.key}: ${s.reason}`).join('; ');
    throw new NothingToWrite(`mapping ${rule.name} has nothing to write to ${object}${why ? ` (${why})` : ''}`);
  }
  return finished(op, settings.apiVersion, meta, http);
}

/**
 * The operation with plain-object field maps, keys in CONTRACT.md's order, and its HTTP steps when
 * `http` (else only checked: an event is refused the same way whether or not they are written).
 */
function finished(op: Operation, apiVersion: string, meta: ObjectMetadata | undefined, http: boolean): Operation {
  const out = { mapping: op.mapping, object: op.object, operation: op.operation } as Operation;
  if (op.recordId !== undefined) out.recordId = op.recordId;
  if (op.externalId) out.externalId = op.externalId;
  if (op.match) out.match = op.match;
  out.fields = op.fields;
  if (op.createFields) out.createFields = op.createFields;
  if (op.followConvertedLead) out.followConvertedLead = true;
  if (op.follow) out.follow = op.follow;
  if (op.whenNotFound) out.whenNotFound = op.whenNotFound;
  if (op.bulk) out.bulk = true;
  if (op.skipped) out.skipped = op.skipped;
  if (op.warnings) out.warnings = op.warnings;
  try {
    if (http) out.http = httpSteps(out, apiVersion, meta);
    else checkHttpSteps(out, apiVersion, meta);
  } catch (err) {
    // Names and values were checked before; anything left that cannot form a request is this event's.
    throw new EventError(
      `mapping ${op.mapping}: cannot build the ${op.object} request: ${(err as Error).message}`,
      'INVALID_FIELD_VALUE',
    );
  }
  return out;
}

function fillFields(
  ev: Evaluations,
  record: RecordBuilder,
  table: FieldTable,
  asIs: boolean,
  scope: Scope,
  rule: string,
): void {
  if (asIs) {
    if (table.custom)
      record.addAsIs(
        ev.value(table.custom.from, scope, rule, 'customFields.from'),
        table.customRoot,
        table.custom.except,
      );
    return;
  }
  table.fillFor(record.meta, record.trim)(ev, record, scope, rule);
  if (table.custom) {
    record.addCustom(
      ev.value(table.custom.from, scope, rule, 'customFields.from'),
      table.customNamesFor(record.object, record.meta),
    );
  }
}

function matchValues(
  ev: Evaluations,
  active: ActiveRule,
  scope: Scope,
  meta: ObjectMetadata | undefined,
  trim: boolean,
  warnings: string[],
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const m of active.rule.match!.fields) {
    const v = ev.value(m.expr, scope, active.rule.name, m.where);
    // An explicit `null` matcher means IS NULL; a value the event lacks must never widen the query.
    if (v === undefined || v === '' || (v === null && m.expr.source !== 'null')) {
      throw new EventError(
        `no value for record matcher ${m.field} (${m.expr.source}) in mapping ${active.rule.name}`,
        'MISSING_MATCH_VALUE',
      );
    }
    if (v !== null && typeof v === 'object') {
      throw new EventError(
        `record matcher ${m.field} (${m.expr.source}) must be a single value, got ${Array.isArray(v) ? 'a list' : 'an object'}`,
        'INVALID_FIELD_VALUE',
      );
    }
    if (m.field === 'Id' && !isRecordId(v)) {
      throw new EventError(
        `record matcher Id (${m.expr.source}) ${JSON.stringify(v)} is not a Salesforce record Id`,
        'INVALID_RECORD_ID',
      );
    }
    // Matched as the field stores it (groupId 813 → '813' for a text field), so lookups and the
    // batch planner compare like with like.
    const fieldMeta = meta && Object.hasOwn(meta.fields, m.field) ? meta.fields[m.field] : undefined;
    const fitted = storedForm(fieldMeta, v, trim);
    if ('error' in fitted) {
      throw new EventError(
        `record matcher ${m.field} (${m.expr.source}): ${fitted.error.replace(/^[^:]*: /, '')}`,
        'INVALID_FIELD_VALUE',
      );
    }
    if (fitted.trimmedFrom !== undefined) {
      warnings.push(
        `record matcher ${m.field}: the ${fitted.trimmedFrom}-character value is trimmed to the field's ${fieldMeta!.length} characters, and looked up as stored`,
      );
    }
    out[m.field] = fitted.value;
  }
  return out;
}

/**
 * Each object's fields required on create, in the metadata's order, listed once per metadata
 * object: a catalog's field maps are V8 hash maps (built key by key), and Object.values over one
 * per created record was the dearest line of a Case event.
 */
const requiredByObject = new WeakMap<ObjectMetadata, readonly FieldMetadata[]>();

function requiredOnCreate(meta: ObjectMetadata): readonly FieldMetadata[] {
  let required = requiredByObject.get(meta);
  if (!required) {
    required = Object.values(meta.fields).filter((f) => f.requiredOnCreate);
    requiredByObject.set(meta, required);
  }
  return required;
}

/** A create that lacks a field Salesforce requires would be refused: say so before it is sent. */
function requireOnCreate(op: Operation, catalog: ObjectCatalog): void {
  const meta = catalog.get(op.object);
  if (!meta) return;
  for (const f of requiredOnCreate(meta)) {
    const v = op.fields[f.name] ?? op.createFields?.[f.name];
    if (v === undefined || v === null || v === '') {
      const article = /^[AEIOU]/i.test(op.object) ? 'an' : 'a';
      throw new EventError(
        `creating ${article} ${op.object} needs ${f.name}, and mapping ${op.mapping} gave it no value`,
        'MISSING_REQUIRED_FIELD',
      );
    }
  }
}

/** `Salesforce-Contact` → Contact (any casing, known or custom objects only). */
export function objectFromType(type: string, prefix: string, catalog: ObjectCatalog): string | undefined {
  const name = type.slice(prefix.length);
  if (!isApiName(name)) return undefined;
  return resolveObjectName(catalog, name) ?? (isCustomName(name) ? name : undefined);
}
