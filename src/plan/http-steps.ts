// The HTTP requests that deliver ONE operation on its own, as /transform shows them (CONTRACT.md
// "http"): the planner's plan for that operation (routeOperation: the route /proxy's batched plan
// takes too, with its lookup in the one-operation form, lookup-plan.ts singleLookup) written as
// single-record REST calls. Only the wire form is decided here; which writes, on which answer, with
// which literals is the planner's.
import type { FieldValue, HttpStep, Operation } from '../operation/operation.js';
import { externalIdPath, queryPath, recordPath, sobjectPath } from '../salesforce/api-paths.js';
import type { ObjectMetadata } from '../salesforce/object-metadata.js';
import { checkSingleLookup, singleLookup } from './lookup-plan.js';
import { isSkip, routeOperation, type RouteWrite } from './operation-route.js';

// Without create-only fields the create body is the very same object as the update body: no copy
// per event.
const withCreateFields = (w: RouteWrite): Record<string, FieldValue> =>
  w.createFields ? { ...w.createFields, ...w.fields } : w.fields;

// Paths depend only on (version, object), never on the mapping set: validate and build them once,
// not per event. Keyed by version, then object (no key string to build per call); bounded.
const pathCache = new Map<string, Map<string, Paths>>();
let cachedPaths = 0;
type Paths = { query: string; object: string; found: string };
function pathsFor(apiVersion: string, object: string): Paths {
  const byObject = pathCache.get(apiVersion);
  const cached = byObject?.get(object);
  if (cached) return cached;
  const p = {
    query: queryPath(apiVersion),
    object: sobjectPath(apiVersion, object),
    found: sobjectPath(apiVersion, object, '{Id}'),
  };
  if (cachedPaths < 10_000) {
    if (byObject) byObject.set(object, p);
    else pathCache.set(apiVersion, new Map([[object, p]]));
    cachedPaths++;
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
 * Where one write goes; `id` is the record's Id or a `{Field}` placeholder filled from the lookup's
 * answer. `opPaths` are the operation's object's (the usual case), looked up once per operation.
 * Everything a write step can be refused for is refused here (its body cannot fail).
 */
function writePath(
  w: RouteWrite,
  apiVersion: string,
  opPaths: Paths,
  opObject: string,
  id: string | undefined,
): string {
  const paths = w.object === opObject ? opPaths : pathsFor(apiVersion, w.object);
  switch (w.kind) {
    case 'create':
      return paths.object;
    case 'upsert':
      // Native upsert: one call, no lookup. Salesforce decides create vs update itself.
      if (!w.externalId) throw new Error(`upsert of ${w.object} has no external id`);
      return externalIdPath(apiVersion, w.object, w.externalId.field, w.externalId.value);
    case 'update':
    case 'delete':
      if (id === undefined) throw new Error(`${w.kind} of ${w.object} has no record Id`);
      return id === FOUND_ID ? paths.found : recordPath(paths.object, id);
  }
}

/** One write as a REST call to `path` (writePath's). */
function writeStep(w: RouteWrite, path: string, when?: HttpStep['when']): HttpStep {
  switch (w.kind) {
    case 'create':
      return call('create', when, 'POST', path, withCreateFields(w));
    case 'upsert':
      return call('upsert', when, 'PATCH', path, w.fields);
    case 'update':
      return call('update', when, 'PATCH', path, w.fields);
    case 'delete':
      return call('delete', when, 'DELETE', path);
  }
}

export function httpSteps(op: Operation, apiVersion: string, meta?: ObjectMetadata): HttpStep[] {
  const steps: HttpStep[] = [];
  describe(op, apiVersion, meta, steps);
  return steps;
}

/**
 * Throws what httpSteps would throw for `op`, without writing any step: the compact /transform
 * answer leaves `http` out, yet must refuse the same events with the same errors as the full one.
 */
export function checkHttpSteps(op: Operation, apiVersion: string, meta?: ObjectMetadata): void {
  describe(op, apiVersion, meta, undefined);
}

// One walk for both, so the checks are the same ones in the same order; with `steps` undefined
// only the texts and objects nobody reads (the query, the bodies, the steps) are not made.
function describe(op: Operation, apiVersion: string, meta: ObjectMetadata | undefined, steps?: HttpStep[]): void {
  // The planner's route; its lookup in the one-operation form (`F = literal LIMIT 2`).
  const route = routeOperation(op);
  let q: string | undefined;
  if (route.via === 'lookup') {
    const request = { object: op.object, match: route.match, select: route.select };
    if (steps) q = singleLookup(request, meta);
    else checkSingleLookup(request, meta);
  }
  const paths = pathsFor(apiVersion, op.object);
  const obj = op.object;
  if (route.via === 'direct') {
    const path = writePath(route.write, apiVersion, paths, obj, route.write.id);
    steps?.push(writeStep(route.write, path));
    return;
  }
  steps?.push({ step: 'lookup', method: 'GET', path: paths.query, query: { q: q as string } });
  // A skip (sync mode add found its record; whenNotFound: skip found none) sends nothing: no step.
  const found = route.found;
  if (!isSkip(found)) {
    const path = writePath(found.write, apiVersion, paths, obj, placeholder(found.idFrom));
    steps?.push(writeStep(found.write, path, 'found'));
  }
  const converted = route.converted;
  if (converted) {
    const path = writePath(converted.write, apiVersion, paths, obj, placeholder(converted.idFrom));
    steps?.push(writeStep(converted.write, path, 'foundConverted'));
  }
  const notFound = route.notFound;
  if (notFound && !isSkip(notFound)) {
    const path = writePath(notFound, apiVersion, paths, obj, undefined);
    steps?.push(writeStep(notFound, path, 'notFound'));
  }
}
