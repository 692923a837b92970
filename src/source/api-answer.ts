// A non-2xx answer during a sync, worded by the delivery layer's classifier (Salesforce's own
// errorCode and message) and prefixed with what the sync was doing, so a person can act on it.
import { classifyResponse } from '../deliver/classify.js';
import type { SfResponse } from '../deliver/salesforce-client.js';

class SourceApiError extends Error {
  constructor(
    readonly what: string,
    readonly status: number,
    readonly errorCode: string | undefined,
    detail: string,
  ) {
    super(`${what}: ${detail}`);
    this.name = 'SourceApiError';
  }
}

/** Returns the body of a 2xx answer; throws SourceApiError naming `what` otherwise. */
export function okBody(res: SfResponse, what: string): unknown {
  if (res.status >= 200 && res.status < 300) return res.body;
  const outcome = classifyResponse(res);
  throw new SourceApiError(what, res.status, outcome.errorCode, outcome.error ?? `HTTP ${res.status}`);
}
