// Delivers the operations of many events to one Salesforce org and gives each event exactly one
// outcome. STEP 1: one event at a time, one REST call per step (lookup, then write).
import type { FieldValue, Operation } from '../operation/operation.js';
import { classifyError, classifyRecordErrors, classifyResponse, type Outcome } from './classify.js';
import type { SalesforceClient, SfResponse } from './salesforce-client.js';
import { buildSelect } from '../salesforce/soql.js';
import { externalIdPath, queryPath, sobjectPath } from '../salesforce/api-paths.js';

export type WriteResult = { object: string; id: string; created: boolean };
export type EventOutcome = Outcome & { results?: WriteResult[] };

export interface ExecuteOptions {
  /** Reserved for the batched executor. */
  readonly bulkThreshold?: number;
}

type OpOutcome = Outcome & { result?: WriteResult };

export async function executeEvents(
  events: Array<{ operations: Operation[] }>,
  client: SalesforceClient,
  _options: ExecuteOptions = {},
): Promise<EventOutcome[]> {
  const outcomes: EventOutcome[] = [];
  for (const event of events) {
    const ops: OpOutcome[] = [];
    for (const op of event.operations) {
      let o: OpOutcome;
      try {
        o = await executeOne(op, client);
      } catch (err) {
        o = classifyError(err);
      }
      ops.push(o);
      if (o.statusCode !== 200) break;
    }
    outcomes.push(combine(ops));
  }
  return outcomes;
}

/** The worst outcome wins: anything retryable beats an abort, an abort beats success. */
export function combine(ops: OpOutcome[]): EventOutcome {
  const results = ops.flatMap((o) => (o.result ? [o.result] : []));
  const rank = (o: Outcome): number =>
    o.authErrorCategory ? 5 : o.statusCode === 500 ? 4 : o.statusCode === 429 ? 3 : o.statusCode === 400 ? 2 : 1;
  let worst: Outcome = { statusCode: 200 };
  for (const o of ops) if (rank(o) > rank(worst)) worst = o;
  const { statusCode, error, errorCode, authErrorCategory } = worst;
  const out: EventOutcome = { statusCode, results };
  if (error !== undefined) out.error = error;
  if (errorCode !== undefined) out.errorCode = errorCode;
  if (authErrorCategory !== undefined) out.authErrorCategory = authErrorCategory;
  return out;
}

function failure(res: SfResponse): Outcome | undefined {
  return res.status >= 200 && res.status < 300 ? undefined : classifyResponse(res);
}

async function executeOne(op: Operation, client: SalesforceClient): Promise<OpOutcome> {
  const v = client.apiVersion;
  if (op.recordId) return writeById(op, op.recordId, client);
  const nativeUpsert = op.operation === 'upsert' && op.externalId && !hasKeys(op.createFields);
  if (nativeUpsert && op.externalId) {
    const res = await client.request({
      method: 'PATCH',
      path: externalIdPath(v, op.object, op.externalId.field, op.externalId.value),
      body: op.fields,
    });
    const bad = failure(res);
    if (bad) return bad;
    const body = (res.body ?? {}) as { id?: string; created?: boolean };
    return { statusCode: 200, result: { object: op.object, id: String(body.id ?? ''), created: res.status === 201 || body.created === true } };
  }
  const match = lookupFields(op);
  if (!match) {
    if (op.operation === 'create' || op.operation === 'upsert') return create(op, client);
    return { statusCode: 400, error: `${op.operation} of ${op.object} needs a record Id or match fields` };
  }
  const select = ['Id', ...(op.follow ? [op.follow.when, op.follow.idField] : [])];
  const soql = buildSelect({
    object: op.object,
    fields: select,
    where: { operator: match.operator, conditions: Object.entries(match.fields).map(([field, value]) => ({ field, value })) },
  });
  const res = await client.request({ method: 'GET', path: queryPath(v), query: { q: soql } });
  const bad = failure(res);
  if (bad) return bad;
  const records = ((res.body ?? {}) as { records?: Array<Record<string, unknown>> }).records ?? [];
  if (records.length > 1) {
    return { statusCode: 400, error: `several ${op.object} records match (${records.length}); nothing written`, errorCode: 'MULTIPLE_MATCHES' };
  }
  if (records.length === 0) {
    if (op.operation === 'upsert' || op.operation === 'create') return create(op, client);
    return { statusCode: 400, error: `no ${op.object} record matches; nothing written`, errorCode: 'NOT_FOUND' };
  }
  const found = records[0];
  if (op.follow && op.operation !== 'delete' && found[op.follow.when] === true) {
    const target = found[op.follow.idField];
    if (typeof target !== 'string' || target === '') {
      return { statusCode: 400, error: `${op.object} ${String(found.Id)} has ${op.follow.when} but no ${op.follow.idField}` };
    }
    return update(op.follow.object, target, op.follow.fields, client);
  }
  return writeById(op, String(found.Id), client);
}

function lookupFields(op: Operation): { operator: 'OR' | 'AND'; fields: Record<string, FieldValue> } | undefined {
  if (op.match && hasKeys(op.match.fields)) return op.match;
  if (op.externalId) return { operator: 'OR', fields: { [op.externalId.field]: op.externalId.value } };
  return undefined;
}

async function writeById(op: Operation, id: string, client: SalesforceClient): Promise<OpOutcome> {
  if (op.operation === 'delete') {
    const res = await client.request({ method: 'DELETE', path: sobjectPath(client.apiVersion, op.object, id) });
    return failure(res) ?? { statusCode: 200, result: { object: op.object, id, created: false } };
  }
  if (op.operation === 'create') return create(op, client);
  return update(op.object, id, op.fields, client);
}

async function update(object: string, id: string, fields: Record<string, FieldValue>, client: SalesforceClient): Promise<OpOutcome> {
  if (hasKeys(fields)) {
    const res = await client.request({ method: 'PATCH', path: sobjectPath(client.apiVersion, object, id), body: fields });
    const bad = failure(res);
    if (bad) return bad;
  }
  return { statusCode: 200, result: { object, id, created: false } };
}

async function create(op: Operation, client: SalesforceClient): Promise<OpOutcome> {
  const res = await client.request({
    method: 'POST',
    path: sobjectPath(client.apiVersion, op.object),
    body: { ...op.createFields, ...op.fields },
  });
  const bad = failure(res);
  if (bad) return bad;
  const body = (res.body ?? {}) as { id?: string; success?: boolean; errors?: Array<{ message: string }> };
  if (body.success === false) return classifyRecordErrors(body.errors ?? []);
  return { statusCode: 200, result: { object: op.object, id: String(body.id ?? ''), created: true } };
}

function hasKeys(o: object | undefined): boolean {
  return o !== undefined && Object.keys(o).length > 0;
}
