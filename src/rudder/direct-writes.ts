// Direct mode's short way for the usual call: every job mapped to one operation that names its
// record itself (an update or delete by Id, a native external-id upsert, a plain create), and no
// two of them write the same record. The executor would then look nothing up, merge nothing and
// order nothing, so each job's answer is its operation's single-record request, built here without
// a plan, waves or recorded collections calls. The decisions stay the planner's own functions:
// routeOperation says "direct", recordIdentity says "same record", withoutUnknownFields leaves out
// the custom fields the org lacks, singleRecordPath and singleRecordBody build the request (as
// the RecordingClient builds its own). Anything else — a lookup, two writes of one record, a job of
// several operations, a name or Id the path builder refuses — returns undefined before any call
// is made, and the group goes the general way (direct-requests.ts).
import { learnFields, withPolicies } from '../deliver/execute.js';
import type { SalesforceClient } from '../deliver/salesforce-client.js';
import type { FieldValue } from '../operation/operation.js';
import { routeOperation, type RouteWrite } from '../plan/operation-route.js';
import { withoutUnknownFields, type UnknownFieldPolicy } from '../plan/org-fields.js';
import { recordIdentity, writeFields } from '../plan/record-merge.js';
import { assertApiName } from '../salesforce/api-names.js';
import type { OrgFieldCache } from '../deliver/org-field-cache.js';
import type { MappedJob } from './mapped-job.js';
import {
  SINGLE_RECORD_METHOD,
  singleRecordBody,
  singleRecordPath,
  type RecordKey,
  type SingleRequest,
} from './recording-client.js';

/** One job's write, with everything checked that does not depend on the org's fields. */
export interface DirectWrite {
  member: MappedJob;
  write: RouteWrite;
  key?: RecordKey;
  /** The request's path (relative to the instance URL). */
  path: string;
}

/** The jobs' writes when every one of them can take the short way; undefined otherwise. */
export function directWrites(members: readonly MappedJob[], apiVersion: string): DirectWrite[] | undefined {
  const writes: DirectWrite[] = [];
  const records = new Set<string>();
  try {
    for (const member of members) {
      if (member.operations.length !== 1) return undefined;
      const route = routeOperation(member.operations[0]);
      if (route.via !== 'direct') return undefined;
      const write = route.write;
      if (!plainFields(write.fields) || (write.createFields && !plainFields(write.createFields))) return undefined;
      const identity = recordIdentity(write);
      if (identity) {
        if (records.has(identity.folded)) return undefined;
        records.add(identity.folded);
      }
      const key: RecordKey | undefined =
        write.kind === 'upsert'
          ? write.externalId && { field: write.externalId.field, value: write.externalId.value }
          : write.kind === 'create'
            ? undefined
            : { id: write.id ?? '' };
      writes.push({ member, write, key, path: singleRecordPath(apiVersion, write.kind, write.object, key) });
    }
  } catch {
    return undefined;
  }
  return writes;
}

/** Each write's single-record request (in `writes` order), its body without the custom fields the org lacks. */
export async function directRequests(
  writes: readonly DirectWrite[],
  client: SalesforceClient,
  options: {
    fieldCache?: OrgFieldCache;
    unknownFields?: UnknownFieldPolicy;
    policies: ReadonlyMap<MappedJob, UnknownFieldPolicy | undefined>;
  },
): Promise<SingleRequest[]> {
  const events = withPolicies(
    writes.map((w) => ({ operations: w.member.operations, unknownFields: options.policies.get(w.member) })),
    options,
  );
  const org = await learnFields(events, client, options.fieldCache);
  return writes.map(({ write, key, path }, i): SingleRequest => {
    const method = SINGLE_RECORD_METHOD[write.kind];
    if (write.kind === 'delete') return { method, path };
    const known = (fields: Record<string, FieldValue>): Record<string, FieldValue> =>
      org === undefined || events[i].unknownFields === 'fail'
        ? fields
        : withoutUnknownFields(write.object, fields, org).fields;
    const fields = writeFields({
      kind: write.kind,
      fields: known(write.fields),
      createFields: write.createFields && known(write.createFields),
    });
    return { method, path, body: singleRecordBody(fields, key) };
  });
}

/**
 * Field names the general way plans as they are: API names (it asserts each one when it plans the
 * call, and a refusal fails the whole group), none of them `attributes` (which would stand for the
 * record's type in a collections call).
 */
function plainFields(fields: Record<string, FieldValue>): boolean {
  for (const name of Object.keys(fields)) {
    if (name === 'attributes') return false;
    assertApiName(name, 'field');
  }
  return true;
}
