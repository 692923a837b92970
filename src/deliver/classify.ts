// Turns what Salesforce said (or failed to say) into the outcome the upstream router acts on
// (REFERENCE §3): 200 delivered, 400 aborted, 429 throttled, 500 retry.
import type { SfResponse } from './salesforce-client.js';

export interface Outcome {
  statusCode: 200 | 400 | 429 | 500;
  error?: string;
  errorCode?: string;
  authErrorCategory?: 'REFRESH_TOKEN';
}

export interface RecordError {
  statusCode?: string;
  errorCode?: string;
  message: string;
  fields?: string[];
}

export function classifyResponse(res: SfResponse): Outcome {
  if (res.status >= 200 && res.status < 300) return { statusCode: 200 };
  return { statusCode: 500, error: `Salesforce answered ${res.status}` };
}

export function classifyError(err: unknown): Outcome {
  return { statusCode: 500, error: err instanceof Error ? err.message : String(err) };
}

export function classifyRecordErrors(errors: RecordError[]): Outcome {
  return { statusCode: 400, error: errors.map((e) => e.message).join('; ') };
}
