// Fault injection: the next N requests that match a method and path misbehave the way Salesforce
// and its front end do under load or trouble, so delivery code can be tested against each outcome.

export type FaultAction =
  /** Answer with this status; body is Salesforce's error array unless `body` (e.g. an HTML page) is given. */
  | { kind: 'error'; status: number; errorCode?: string; message?: string; body?: string; contentType?: string }
  /** Wait, then handle the request normally. */
  | { kind: 'latency'; ms: number }
  /** Destroy the socket without an answer: the client sees ECONNRESET. */
  | { kind: 'reset' }
  /** Expire every access token now; this and later calls get 401 INVALID_SESSION_ID. */
  | { kind: 'expireTokens' };

export interface FaultMatcher {
  /** HTTP method; any when absent. */
  method?: string;
  /** Prefix of the path, either the full path (`/services/data/v66.0/sobjects`) or the part after the version (`sobjects/Lead`). */
  path?: string;
  /** Regular expression tested against the full path (a RegExp, or its source text over HTTP). */
  pathRegex?: RegExp | string;
  /** How many matching requests it affects; default 1. */
  times?: number;
}

export type FaultSpec = FaultMatcher & FaultAction;

interface ArmedFault {
  spec: FaultSpec;
  regex?: RegExp;
  remaining: number;
}

const HTML_GATEWAY_PAGE = (status: number): string =>
  `<!DOCTYPE html>\n<html><head><title>${status} Error</title></head><body><h1>${status}</h1><p>The server encountered a problem. Please try again.</p></body></html>\n`;

export class FaultRegistry {
  private armed: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    validateFault(spec);
    const regex =
      spec.pathRegex === undefined
        ? undefined
        : spec.pathRegex instanceof RegExp
          ? spec.pathRegex
          : new RegExp(spec.pathRegex);
    this.armed.push({ spec, regex, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.armed = [];
  }

  pending(): FaultSpec[] {
    return this.armed.map((a) => ({ ...a.spec, times: a.remaining }));
  }

  /** Consumes and returns the first armed fault matching this request. */
  take(method: string, fullPath: string, apiPath: string | undefined): FaultSpec | undefined {
    const i = this.armed.findIndex((a) => matches(a, method, fullPath, apiPath));
    if (i < 0) return undefined;
    const fault = this.armed[i];
    fault.remaining--;
    if (fault.remaining <= 0) this.armed.splice(i, 1);
    return fault.spec;
  }
}

function matches(a: ArmedFault, method: string, fullPath: string, apiPath: string | undefined): boolean {
  if (a.spec.method && a.spec.method.toUpperCase() !== method.toUpperCase()) return false;
  if (a.regex && !a.regex.test(fullPath)) return false;
  const prefix = a.spec.path;
  if (prefix !== undefined) {
    const bare = prefix.replace(/^\//, '');
    const onFull = fullPath.startsWith(prefix);
    const onApi = apiPath !== undefined && apiPath.startsWith(bare);
    if (!onFull && !onApi) return false;
  }
  return true;
}

/** The answer an `error` fault produces. 502/504 come from the front end as HTML pages, like the real thing. */
export function faultResponse(f: Extract<FaultAction, { kind: 'error' }>): {
  status: number;
  contentType: string;
  body: string;
} {
  if (f.body !== undefined) return { status: f.status, contentType: f.contentType ?? 'text/plain', body: f.body };
  if (f.errorCode === undefined && (f.status === 502 || f.status === 504)) {
    return { status: f.status, contentType: 'text/html', body: HTML_GATEWAY_PAGE(f.status) };
  }
  const errorCode = f.errorCode ?? defaultCode(f.status);
  const message = f.message ?? `${errorCode} (injected fault)`;
  return {
    status: f.status,
    contentType: 'application/json;charset=UTF-8',
    body: JSON.stringify([{ message, errorCode }]),
  };
}

function defaultCode(status: number): string {
  switch (status) {
    case 401:
      return 'INVALID_SESSION_ID';
    case 403:
      return 'REQUEST_LIMIT_EXCEEDED';
    case 404:
      return 'NOT_FOUND';
    case 429:
      return 'REQUEST_LIMIT_EXCEEDED';
    case 503:
      return 'SERVER_UNAVAILABLE';
    default:
      return 'UNKNOWN_EXCEPTION';
  }
}

function validateFault(spec: FaultSpec): void {
  if (!spec || typeof spec !== 'object') throw new Error('a fault must be an object');
  if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1))
    throw new Error('times must be a positive integer');
  switch (spec.kind) {
    case 'error':
      if (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)
        throw new Error('error fault needs an HTTP status');
      return;
    case 'latency':
      if (typeof spec.ms !== 'number' || spec.ms < 0) throw new Error('latency fault needs ms >= 0');
      return;
    case 'reset':
    case 'expireTokens':
      return;
    default:
      throw new Error(
        `unknown fault kind ${JSON.stringify((spec as { kind?: unknown }).kind)} (error, latency, reset, expireTokens)`,
      );
  }
}
