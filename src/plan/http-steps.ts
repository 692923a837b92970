// The HTTP requests that deliver ONE operation on its own, as /transform shows them (CONTRACT.md
// "http"). Pure: knows Salesforce's REST shapes, nothing about events. The proxy batches many
// operations differently (src/plan/ batch planner); these descriptors are what a caller that
// delivers operations itself, one by one, would send.
import type { FieldValue, HttpStep, Operation } from '../operation/operation.js';
import { externalIdPath, queryPath, sobjectPath } from '../salesforce/api-paths.js';
import type { ObjectMetadata } from '../salesforce/object-metadata.js';
import { buildSelect } from '../salesforce/soql.js';

/** Two rows are enough to tell "one match" from "several": the lookup never reads more. */
const LOOKUP_LIMIT = 2;

/** The SOQL that finds an operation's record by its matchers (and reads what `follow` needs). */
function lookupQuery(op: Operation, meta?: ObjectMetadata): string {
  const match = op.match!;
  const fields = ['Id'];
  if (op.follow) fields.push(op.follow.when, op.follow.idField);
  return buildSelect({
    object: op.object,
    fields,
    where: {
      operator: match.operator,
      conditions: Object.entries(match.fields).map(([field, value]) => ({ field, value })),
    },
    limit: LOOKUP_LIMIT,
    meta,
  });
}

// Without create-only fields the create body is the very same object as the update body, which
// lets the response serialiser write it once (src/server/results-json.ts).
const withCreateFields = (op: Operation): Record<string, FieldValue> =>
  op.createFields ? { ...op.createFields, ...op.fields } : op.fields;

// Paths depend only on (version, object): validate and build them once, not per event.
const pathCache = new Map<string, { query: string; object: string; found: string }>();
function pathsFor(apiVersion: string, object: string) {
  const key = `${apiVersion}\u0000${object}`;
  let p = pathCache.get(key);
  if (!p) {
    p = {
      query: queryPath(apiVersion),
      object: sobjectPath(apiVersion, object),
      found: sobjectPath(apiVersion, object, '{Id}'),
    };
    if (pathCache.size < 10_000) pathCache.set(key, p);
  }
  return p;
}

export function httpSteps(op: Operation, apiVersion: string, meta?: ObjectMetadata): HttpStep[] {
  const obj = op.object;
  const paths = pathsFor(apiVersion, obj);
  if (op.operation === 'create' && !op.match) {
    return [{ step: 'create', method: 'POST', path: paths.object, body: withCreateFields(op) }];
  }
  if (op.recordId !== undefined) {
    const path = sobjectPath(apiVersion, obj, op.recordId);
    return op.operation === 'delete'
      ? [{ step: 'delete', method: 'DELETE', path }]
      : [{ step: 'update', method: 'PATCH', path, body: op.fields }];
  }
  if (op.externalId && !op.match) {
    // Native upsert: one call, no lookup. Salesforce decides create vs update itself.
    return [
      {
        step: 'upsert',
        method: 'PATCH',
        path: externalIdPath(apiVersion, obj, op.externalId.field, op.externalId.value),
        body: op.fields,
      },
    ];
  }
  if (!op.match) throw new Error(`operation ${op.mapping} on ${obj} has no way to find its record`);

  const steps: HttpStep[] = [{ step: 'lookup', method: 'GET', path: paths.query, query: { q: lookupQuery(op, meta) } }];
  const found = paths.found;
  if (op.operation === 'create') {
    // Sync mode add: a found record means the event is skipped; only "not found" writes.
    steps.push({ step: 'create', when: 'notFound', method: 'POST', path: paths.object, body: withCreateFields(op) });
    return steps;
  }
  if (op.operation === 'delete') {
    steps.push({ step: 'delete', when: 'found', method: 'DELETE', path: found });
    return steps;
  }
  steps.push({ step: 'update', when: 'found', method: 'PATCH', path: found, body: op.fields });
  if (op.follow) {
    steps.push({
      step: 'update',
      when: 'foundConverted',
      method: 'PATCH',
      path: sobjectPath(apiVersion, op.follow.object, `{${op.follow.idField}}`),
      body: op.follow.fields,
    });
  }
  if (op.operation === 'upsert') {
    steps.push({ step: 'create', when: 'notFound', method: 'POST', path: paths.object, body: withCreateFields(op) });
  }
  return steps;
}
