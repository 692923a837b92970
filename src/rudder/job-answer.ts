// What the rudder-server routes decide for a set of jobs, before it is shaped into a routerTransform
// item, a /batch item or a processor item: either requests that carry some jobs, or an error for them.
import type { PostParameters } from './protocol.js';
import type { FailureSource } from './stat-tags.js';

export type JobAnswer =
  | {
      kind: 'requests';
      /** Indexes of the jobs these requests deliver together (more than one when they write one record). */
      jobs: number[];
      requests: PostParameters[];
    }
  | {
      kind: 'error';
      jobs: number[];
      statusCode: number;
      error: string;
      source: FailureSource;
      authErrorCategory?: string;
    };

/** The answer for jobs that can never be sent as they are. */
export function errorAnswer(
  jobs: number[],
  statusCode: number,
  error: string,
  source: FailureSource,
  authErrorCategory?: string,
): JobAnswer {
  const answer: JobAnswer = { kind: 'error', jobs, statusCode, error, source };
  if (authErrorCategory !== undefined) answer.authErrorCategory = authErrorCategory;
  return answer;
}

/** An outcome's error text with Salesforce's (or our) code first, as rudder-server shows it to a person. */
export function describeOutcome(o: { error?: string; errorCode?: string; statusCode: number }): string {
  const text = o.error ?? `status ${o.statusCode}`;
  return o.errorCode && !text.includes(o.errorCode) ? `${o.errorCode}: ${text}` : text;
}
