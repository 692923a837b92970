// The HTTP requests that deliver ONE operation on its own, as /transform shows them (CONTRACT.md
// "http"): the planner's plan for that operation (planOperation: the route /proxy's batched plan
// takes too, and its lookup in the one-operation form) written as single-record REST calls. Only
// the wire form is decided here; which writes, on which answer, with which literals is the planner's.
import type { FieldValue, HttpStep, Operation } from '../operation/operation.js';
import { externalIdPath, queryPath, sobjectPath } from '../salesforce/api-paths.js';
import type { ObjectMetadata } from '../salesforce/object-metadata.js';
import { planOperation } from './delivery-planner.js';
import { isSkip, type RouteWrite } from './operation-route.js';

// Without create-only fields the create body is the very same object as the update body, which
// lets the response serialiser write it once (src/server/results-json.ts).
const withCreateFields = (w: RouteWrite): Record<string, FieldValue> =>
  w.createFields ? { ...w.createFields, ...w.fields } : w.fields;

// Paths depend only on (version, object), never on the mapping set: validate and build them once,
// not per event.
const pathCache = new Map<string, Paths>();
type Paths = { query: string; object: string; found: string };
function pathsFor(apiVersion: string, object: string): Paths {
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

/** The found record's Id in a descriptor path: `{Field}`, filled by the caller from the lookup's answer. */
const FOUND_ID = '{Id}';
const placeholder = (field: string): string => (field === 'Id' ? FOUND_ID : `{${field}}`);

// Keys in CONTRACT.md's order (step, when, method, path, query, body).
function call(
  step: HttpStep['step'],
  when: HttpStep['when'],
  method: HttpStep['method'],
  path: string,
  body?: Record<string, FieldValue>,
): HttpStep {
  const s = (when ? { step, when, method, path } : { step, method, path }) as HttpStep;
  if (body) s.body = body;
  return s;
}

/**
 * One write as a REST call; `id` is the record's Id or a `{Field}` placeholder filled from the
 * lookup's answer. `paths` are the operation's object's (the usual case), looked up once per operation.
 */
function writeStep(
  w: RouteWrite,
  apiVersion: string,
  opPaths: Paths,
  opObject: string,
  id: string | undefined,
  when?: HttpStep['when'],
): HttpStep {
  const paths = w.object === opObject ? opPaths : pathsFor(apiVersion, w.object);
  switch (w.kind) {
    case 'create':
      return call('create', when, 'POST', paths.object, withCreateFields(w));
    case 'upsert': {
      // Native upsert: one call, no lookup. Salesforce decides create vs update itself.
      if (!w.externalId) throw new Error(`upsert of ${w.object} has no external id`);
      return call(
        'upsert',
        when,
        'PATCH',
        externalIdPath(apiVersion, w.object, w.externalId.field, w.externalId.value),
        w.fields,
      );
    }
    case 'update':
    case 'delete': {
      if (id === undefined) throw new Error(`${w.kind} of ${w.object} has no record Id`);
      const path = id === FOUND_ID ? paths.found : sobjectPath(apiVersion, w.object, id);
      return w.kind === 'delete' ? call('delete', when, 'DELETE', path) : call('update', when, 'PATCH', path, w.fields);
    }
  }
}

export function httpSteps(op: Operation, apiVersion: string, meta?: ObjectMetadata): HttpStep[] {
  const { route, lookup } = planOperation(op, meta);
  const paths = pathsFor(apiVersion, op.object);
  const obj = op.object;
  if (route.via === 'direct') return [writeStep(route.write, apiVersion, paths, obj, route.write.id)];
  const steps: HttpStep[] = [{ step: 'lookup', method: 'GET', path: paths.query, query: { q: lookup as string } }];
  // A skip (sync mode add found its record; whenNotFound: skip found none) sends nothing: no step.
  const found = route.found;
  if (!isSkip(found)) steps.push(writeStep(found.write, apiVersion, paths, obj, placeholder(found.idFrom), 'found'));
  if (route.converted)
    steps.push(
      writeStep(route.converted.write, apiVersion, paths, obj, placeholder(route.converted.idFrom), 'foundConverted'),
    );
  const notFound = route.notFound;
  if (notFound && !isSkip(notFound)) steps.push(writeStep(notFound, apiVersion, paths, obj, undefined, 'notFound'));
  return steps;
}
