// The shared work of /routerTransform, /batch and /v0/destinations/:dest: every job named in the
// request gets exactly one answer — refused as sent, filtered (298), unmappable (400), or carried
// by requests built in the configured delivery mode.
import type { MappingStore } from '../mapping/mapping-store.js';
import { transformItems } from '../mapping/transform.js';
import type { DeliveryDeps } from './destination-access.js';
import { notServedMessage, servedDefinition } from './definitions.js';
import { directAnswers } from './direct-requests.js';
import type { JobProblem } from './envelope.js';
import { errorAnswer, type JobAnswer } from './job-answer.js';
import type { MappedJob } from './mapped-job.js';
import { proxyBatches } from './proxy-batches.js';
import type { RouterJob } from './protocol.js';
import { sameJson } from './same-json.js';

/** proxy: batched requests for /v1/.../proxy; direct: one concrete Salesforce request per job. */
export type DeliveryMode = 'proxy' | 'direct';

export interface RudderDeps extends DeliveryDeps {
  store: MappingStore;
  mode: DeliveryMode;
}

export function deliveryModeFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryMode {
  return env.RUDDER_TRANSFORMER_PROXY === 'true' ? 'proxy' : 'direct';
}

export async function answerJobs(
  jobs: readonly RouterJob[],
  problems: readonly JobProblem[],
  deps: RudderDeps,
  options: { mode: DeliveryMode; duplicates?: Map<number, number> },
): Promise<JobAnswer[]> {
  const answers: JobAnswer[] = [];
  const settled = new Set<number>();
  for (const p of problems) {
    answers.push(errorAnswer([p.index], p.statusCode, p.error, p.source));
    settled.add(p.index);
  }
  // A jobId sent twice cannot be told apart in the answer: its first job is refused, later ones are
  // not answered again (rudder-server counts each jobId once).
  const duplicates = options.duplicates ?? new Map<number, number>();
  const refusedFirst = new Set(duplicates.values());
  for (const index of duplicates.keys()) settled.add(index);
  for (const first of refusedFirst) {
    if (settled.has(first)) continue;
    const id = jobs[first].metadata.jobId;
    const count = 1 + [...duplicates.values()].filter((f) => f === first).length;
    answers.push(
      errorAnswer(
        [first],
        400,
        `jobId ${id} appears ${count} times in this request; each job must be sent once, so none of them was transformed`,
        'platform',
      ),
    );
    settled.add(first);
  }
  const pending: number[] = [];
  jobs.forEach((job, index) => {
    if (settled.has(index)) return;
    const name = job.destination.DestinationDefinition?.Name;
    if (name !== undefined && !servedDefinition(name)) {
      answers.push(errorAnswer([index], 400, notServedMessage(name), 'configuration'));
      return;
    }
    pending.push(index);
  });

  const routed = routedDestinations();
  const results = await transformItems(
    pending.map((i) => ({
      message: jobs[i].message,
      metadata: jobs[i].metadata,
      destination: routed(jobs[i].destination),
    })),
    deps.store.current,
    // Neither the proxy batches nor direct delivery read `http` steps: check them, do not write them.
    { http: false },
  );
  const mapped: MappedJob[] = [];
  results.forEach((result, k) => {
    const index = pending[k];
    if (result.statusCode === 200) mapped.push({ index, job: jobs[index], operations: result.output });
    else if (result.statusCode === 298) answers.push(errorAnswer([index], 298, result.error, 'mapping'));
    else answers.push(errorAnswer([index], 400, `${result.errorCode}: ${result.error}`, 'mapping'));
  });
  if (mapped.length > 0)
    answers.push(...(options.mode === 'proxy' ? proxyBatches(mapped) : await directAnswers(mapped, deps)));
  // rudder-server sorts by the smallest jobId anyway; answering in request order keeps logs readable.
  // Each answer's first job is found once, not in every comparison.
  return answers
    .map((answer) => ({ answer, first: Math.min(...answer.jobs) }))
    .sort((a, b) => a.first - b.first)
    .map((a) => a.answer);
}

/** Distinct Configs one request's memo keeps; jobs past them get a Config of their own. */
const MEMO_ENTRIES = 4;

/**
 * rudder-server has already applied the event's `integrations` object before a job reaches a
 * destination (its processor filters by it), so events routed here are not filtered again by
 * `integrations.Salesforce` unless the destination's Config asks for it explicitly.
 * Jobs of one destination carry equal copies of its Config: within a request they get one frozen
 * routed Config, which the mapping resolves once (mapping/settings.ts) instead of once per event.
 */
function routedDestinations(): (destination: RouterJob['destination']) => RouterJob['destination'] {
  const seen: Array<{ config: unknown; routed: Readonly<Record<string, unknown>> }> = [];
  return (destination) => {
    const config = destination.Config ?? {};
    if (config.requireIntegrationFlag !== undefined) return destination;
    let routed = seen.find((s) => sameJson(s.config, config))?.routed;
    if (!routed) {
      routed = Object.freeze({ ...config, requireIntegrationFlag: false });
      if (seen.length < MEMO_ENTRIES) seen.push({ config, routed });
    }
    return { ...destination, Config: routed };
  };
}
