// Reads the bodies rudder-server sends to /routerTransform, /batch and /v0/destinations/:dest, in
// both forms it builds: one `destination` per item, or (header X-Content-Format: json+compactedv1)
// items without it and the destinations once, keyed by id. Every job it can name gets an answer;
// a body it cannot name jobs in is refused as a whole, with the place named. (Size and nesting
// depth are bounded while the body is read: server/json-body.ts.)
import type { Destination, JobMetadata, RouterJob } from './protocol.js';

export interface EnvelopeRefusal {
  status: number;
  code: string;
  message: string;
}

/** A job this request names but that cannot be transformed as sent (its answer is an error for it alone). */
export interface JobProblem {
  index: number;
  statusCode: number;
  error: string;
  source: 'platform' | 'configuration';
}

export interface Envelope {
  destType?: string;
  jobs: RouterJob[];
  problems: JobProblem[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `body` is `{input: [...], destType, destinations?, connections?}` (router) or a bare array /
 * `{input, destinations}` (processor). `oauthSecret` is the Oauth-Secret header's text, if any.
 */
export function readEnvelope(body: unknown, oauthSecret: string | undefined): Envelope | EnvelopeRefusal {
  const input = Array.isArray(body) ? body : isObject(body) ? body.input : undefined;
  if (!Array.isArray(input)) {
    return {
      status: 400,
      code: 'INVALID_ENVELOPE',
      message:
        'request body must be {"input": [{message, metadata, destination}], "destType": "..."} (or, compacted, with "destinations" keyed by id)',
    };
  }
  const destinations = isObject(body) && isObject(body.destinations) ? body.destinations : undefined;
  const destType = isObject(body) && typeof body.destType === 'string' ? body.destType : undefined;

  let secret: unknown;
  let secretProblem: string | undefined;
  if (oauthSecret !== undefined && oauthSecret !== '') {
    try {
      secret = JSON.parse(oauthSecret);
    } catch {
      // The router's secret, not the event's: retryable (500) like an incomplete secret (issue 10 item 19).
      secretProblem =
        'INVALID_SECRET: the Oauth-Secret header is not JSON; the router must send the destination secret as a JSON object';
    }
  }

  const jobs: RouterJob[] = [];
  const problems: JobProblem[] = [];
  for (let i = 0; i < input.length; i++) {
    const item: unknown = input[i];
    if (!isObject(item))
      return {
        status: 400,
        code: 'ITEM_NOT_AN_OBJECT',
        message: `input[${i}] is not an object; every item must be {message, metadata, destination}`,
      };
    const metadata = item.metadata;
    if (!isObject(metadata))
      return {
        status: 400,
        code: 'MISSING_METADATA',
        message: `input[${i}] has no metadata object; every job needs metadata.jobId`,
      };
    if (typeof metadata.jobId !== 'number' || !Number.isSafeInteger(metadata.jobId)) {
      return {
        status: 400,
        code: 'MISSING_JOB_ID',
        message: `input[${i}].metadata.jobId must be an integer (got ${JSON.stringify(metadata.jobId)?.slice(0, 40) ?? 'nothing'})`,
      };
    }
    const meta: JobMetadata = { ...(metadata as JobMetadata) };
    // rudder-server's OAuth client sends the secret once, in a header; rudder-transformer spreads it into every job.
    if (secret !== undefined) meta.secret = secret;
    const destination = isObject(item.destination)
      ? (item.destination as Destination)
      : destinations && typeof meta.destinationId === 'string' && isObject(destinations[meta.destinationId])
        ? (destinations[meta.destinationId] as Destination)
        : undefined;
    jobs.push({ message: item.message, metadata: meta, destination: destination ?? {} });
    if (secretProblem) problems.push({ index: i, statusCode: 500, error: secretProblem, source: 'platform' });
    else if (!destination) {
      // Sending the same job again cannot give it a destination: refused (400), never retried forever.
      problems.push({
        index: i,
        statusCode: 400,
        source: 'platform',
        error: destinations
          ? `NO_DESTINATION: no destination ${JSON.stringify(meta.destinationId)} in "destinations" for job ${meta.jobId}`
          : `NO_DESTINATION: job ${meta.jobId} has no destination object`,
      });
    }
  }
  return { destType, jobs, problems };
}

/** Indexes of jobs whose jobId an earlier job already has, with the index of that first job. */
export function duplicateJobIds(jobs: readonly RouterJob[]): Map<number, number> {
  const first = new Map<number, number>();
  const duplicates = new Map<number, number>();
  jobs.forEach((job, index) => {
    const seen = first.get(job.metadata.jobId);
    if (seen === undefined) first.set(job.metadata.jobId, index);
    else duplicates.set(index, seen);
  });
  return duplicates;
}
