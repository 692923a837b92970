// Direct mode (rudder-server sends each request itself, Router.<DEST>.transformerProxy off): the
// lookups of the whole call run here, batched, with the destination's own session, and every job
// gets the concrete single-record REST requests that deliver it, bearer token included — as
// RudderStack's own Salesforce integration answers, at a fraction of its API calls. Jobs whose
// writes the executor merged (several events of one record) share one answer, so the record is
// written once and every one of those jobs gets its status. A group whose jobs each write one
// record no other job writes, found without a lookup, takes a short way that needs no executor
// (direct-writes.ts) and answers the same.
import { classifyError, type Outcome } from '../deliver/classify.js';
import { executeEvents, type EventOutcome } from '../deliver/execute.js';
import type { Session } from '../deliver/token-cache.js';
import { accessMemo, openClient, type Access, type DeliveryDeps } from './destination-access.js';
import { describeOutcome, errorAnswer, type JobAnswer } from './job-answer.js';
import type { MappedJob } from './mapped-job.js';
import { postParameters } from './post-parameters.js';
import type { PostParameters } from './protocol.js';
import { directRequests, directWrites } from './direct-writes.js';
import { RecordingClient, writePath, type SingleRequest } from './recording-client.js';
import { apiBase } from '../salesforce/api-paths.js';

/** `shortWay: false` sends every group the general way (direct-writes.ts is checked against it). */
export async function directAnswers(
  mapped: readonly MappedJob[],
  deps: DeliveryDeps,
  options: { shortWay?: boolean } = {},
): Promise<JobAnswer[]> {
  const answers: JobAnswer[] = [];
  const groups = new Map<string, { access: Access; members: MappedJob[] }>();
  const policies = new Map<MappedJob, Access['unknownFields']>();
  const accessFor = accessMemo(deps);
  for (const m of mapped) {
    const access = accessFor(m.job.metadata, m.job.destination.Config);
    if ('problem' in access) {
      answers.push(
        errorAnswer([m.index], access.statusCode ?? 400, `${access.errorCode}: ${access.problem}`, 'configuration'),
      );
      continue;
    }
    policies.set(m, access.unknownFields);
    const group = groups.get(access.key);
    if (group) group.members.push(m);
    else groups.set(access.key, { access, members: [m] });
  }
  const resolved = await Promise.all(
    [...groups.values()].map((g) =>
      // A defect must not cost the whole call: its jobs are answered retryable, the others as usual.
      resolveGroup(g.access, g.members, deps, policies, options.shortWay !== false).catch((err: unknown) => {
        const outcome = classifyError(err);
        return g.members.map((m) => errorAnswer([m.index], 500, describeOutcome(outcome), 'platform'));
      }),
    ),
  );
  return answers.concat(...resolved);
}

async function resolveGroup(
  access: Access,
  members: MappedJob[],
  deps: DeliveryDeps,
  policies: ReadonlyMap<MappedJob, Access['unknownFields']>,
  shortWay: boolean,
): Promise<JobAnswer[]> {
  const failed = (m: MappedJob, o: Outcome): JobAnswer =>
    errorAnswer([m.index], o.statusCode, describeOutcome(o), 'delivery', o.authErrorCategory);
  let opened: Awaited<ReturnType<typeof openClient>>;
  try {
    opened = await openClient(access, deps);
  } catch (err) {
    const outcome = classifyError(err);
    return members.map((m) => failed(m, outcome));
  }
  const direct = shortWay ? directWrites(members, access.apiVersion) : undefined;
  if (direct) {
    let writes: SingleRequest[] | undefined;
    try {
      writes = await directRequests(direct, opened.client, {
        fieldCache: deps.fields,
        unknownFields: deps.unknownFields,
        policies,
      });
    } catch {
      // Learning the org's fields failed in a way the general way reports: let it.
    }
    if (writes) {
      const send = requestSender(access, opened.session());
      return writes.map((write, i) => {
        const m = direct[i].member;
        return { kind: 'requests', jobs: [m.index], requests: [send(write, m.job.metadata.userId)] };
      });
    }
  }
  const recorder = new RecordingClient(opened.client);
  // A Bulk job is not one request per event: direct mode writes record by record.
  const events = members.map((m) => ({
    operations: m.operations.map((op) => (op.bulk ? { ...op, bulk: false } : op)),
    unknownFields: policies.get(m),
  }));
  const outcomes: EventOutcome[] = await executeEvents(events, recorder, {
    fieldCache: deps.fields,
    unknownFields: deps.unknownFields,
  });

  // Jobs that share a recorded write are answered together (union-find over the writes' refs).
  const parent = members.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const ownerOf = new Map<string, number>();
  const objectOf = new Map<string, string>();
  const answers: JobAnswer[] = [];
  outcomes.forEach((outcome, i) => {
    if (outcome.statusCode !== 200) return;
    for (const r of outcome.results ?? []) {
      objectOf.set(r.id, r.object);
      const owner = ownerOf.get(r.id);
      if (owner === undefined) ownerOf.set(r.id, i);
      else parent[find(i)] = find(owner);
    }
  });
  const components = new Map<number, { first: MappedJob; jobs: number[]; refs: Set<string> }>();
  outcomes.forEach((outcome, i) => {
    const m = members[i];
    if (outcome.statusCode !== 200) {
      answers.push(failed(m, outcome));
      return;
    }
    if ((!outcome.results || outcome.results.length === 0) && outcome.skipped) {
      // Nothing to send on purpose (sync mode add found its record, whenNotFound: skip): filtered, as
      // rudder-server counts an event a destination has nothing to do for.
      answers.push(
        errorAnswer([m.index], 298, outcome.skipped.map((s) => `${s.code}: ${s.message}`).join('; '), 'delivery'),
      );
      return;
    }
    if (!outcome.results || outcome.results.length === 0) {
      answers.push(errorAnswer([m.index], 500, 'the executor produced no request for this job', 'platform'));
      return;
    }
    const root = find(i);
    const component = components.get(root) ?? { first: m, jobs: [], refs: new Set<string>() };
    components.set(root, component);
    component.jobs.push(m.index);
    for (const r of outcome.results) component.refs.add(r.id);
  });
  const send = requestSender(access, opened.session());
  for (const { first, jobs, refs } of components.values()) {
    const userId = first.job.metadata.userId;
    // Recorded order is the executor's order: waves of one record stay in sequence.
    const ordered = refs.size === 1 ? [...refs] : [...refs].sort((a, b) => refOrder(a) - refOrder(b));
    const requests: PostParameters[] = ordered.map((ref) => {
      const write = recorder.write(ref);
      if (!write) throw new Error(`no recorded write for ${ref}`);
      return send({ ...write, path: writePath(write, objectOf.get(ref) ?? '', access.apiVersion) }, userId);
    });
    answers.push({ kind: 'requests', jobs: jobs.sort((a, b) => a - b), requests });
  }
  return answers;
}

/**
 * Requests as rudder-server sends them, with the session the group's calls used last (so made
 * once they are done). Every request of the group carries it: its headers and path prefix are
 * built once.
 */
function requestSender(access: Access, session: Session): (write: SingleRequest, userId: unknown) => PostParameters {
  // One headers object for all of them: nothing changes a request once built.
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${session.accessToken}` };
  const base = `${apiBase(access.apiVersion)}/`;
  return (write, userId) =>
    postParameters({
      method: write.method,
      endpoint: session.instanceUrl + write.path,
      endpointPath: write.path.startsWith(base) ? write.path.slice(base.length) : write.path,
      headers,
      json: write.body,
      userId,
    });
}

function refOrder(ref: string): number {
  return Number(ref.slice(ref.lastIndexOf(':') + 1));
}
