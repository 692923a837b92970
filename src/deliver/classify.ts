// Turns what Salesforce said (or failed to say) into the outcome the upstream router acts on
// (REFERENCE §3): 200 delivered, 400 aborted (retrying cannot help), 429 throttled, 500 retry.
// The error text always carries Salesforce's own errorCode and message, because that is what a
// person reads to fix a mapping or an org setting.
import { STATUS_CODES } from 'node:http';
import type { Outcome } from '../operation/outcome.js';
import { splitErrorCode } from '../salesforce/error-text.js';
import { AuthError, BudgetExceeded, LoginError, TransportError, type SfResponse } from './salesforce-client.js';

export type { Outcome } from '../operation/outcome.js';
export { severalMatches } from '../operation/outcome.js';

/** One error as Salesforce reports it: REST bodies use `errorCode`, collection results `statusCode`. */
export interface RecordError {
  statusCode?: string;
  errorCode?: string;
  message: string;
  fields?: string[];
}

/** Errors that pass with time: a row lock held by another transaction, an Apex governor limit hit by a trigger. */
function isTransient(code: string, message: string): boolean {
  return (
    code === 'UNABLE_TO_LOCK_ROW' || message.includes('UNABLE_TO_LOCK_ROW') || /too many soql queries/i.test(message)
  );
}

const THROTTLE_CODES = new Set(['REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE']);

interface SfError {
  code: string;
  message: string;
  fields?: string[];
}

function describe(errors: SfError[]): string {
  return errors
    .map((e) => `${e.code}: ${e.message}${e.fields && e.fields.length > 0 ? ` (fields: ${e.fields.join(', ')})` : ''}`)
    .join('; ');
}

/** Bulk results and some wrapped messages arrive as "CODE:message"; split them so the code is machine-readable. */
function splitCodeFromMessage(text: string): SfError {
  const { errorCode, message } = splitErrorCode(text);
  return { code: errorCode ?? 'UNKNOWN_ERROR', message };
}

/** Classifies a list of Salesforce errors that all belong to one failed request or record. */
function classifyErrors(errors: SfError[], status?: number): Outcome {
  const first = errors[0];
  const error = status === undefined ? describe(errors) : `Salesforce ${status}: ${describe(errors)}`;
  if (errors.some((e) => isTransient(e.code, e.message))) {
    const transient = errors.find((e) => isTransient(e.code, e.message)) ?? first;
    return { statusCode: 500, error, errorCode: transient.code };
  }
  if (errors.some((e) => e.code === 'INVALID_SESSION_ID')) {
    return { statusCode: 500, error, errorCode: 'INVALID_SESSION_ID', authErrorCategory: 'REFRESH_TOKEN' };
  }
  const throttle = errors.find((e) => THROTTLE_CODES.has(e.code));
  if (throttle && (status === undefined || status === 403 || status === 503 || status === 429)) {
    return { statusCode: 429, error, errorCode: throttle.code };
  }
  if (status !== undefined && (status >= 500 || status === 408))
    return { statusCode: 500, error, errorCode: first.code };
  if (status === 429) return { statusCode: 429, error, errorCode: first.code };
  return { statusCode: 400, error, errorCode: first.code };
}

function asSfError(value: unknown): SfError | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const message =
    typeof v.message === 'string'
      ? v.message
      : typeof v.error_description === 'string'
        ? v.error_description
        : undefined;
  const code =
    typeof v.errorCode === 'string'
      ? v.errorCode
      : typeof v.statusCode === 'string'
        ? v.statusCode
        : typeof v.error === 'string'
          ? v.error
          : undefined;
  if (message === undefined && code === undefined) return undefined;
  const fields = Array.isArray(v.fields) ? v.fields.filter((f): f is string => typeof f === 'string') : undefined;
  if (code === undefined) return { ...splitCodeFromMessage(message ?? ''), fields };
  return { code, message: message ?? '', fields };
}

/** Salesforce error bodies are `[{message, errorCode}]`; the token endpoint answers `{error, error_description}`. */
function errorsInBody(body: unknown): SfError[] {
  const list = Array.isArray(body) ? body : [body];
  return list.map(asSfError).filter((e): e is SfError => e !== undefined);
}

/**
 * What a body that is not a Salesforce error may say: only its size. An unknown page (a proxy's
 * HTML, a captive portal, a server that is not Salesforce) is never echoed, not even in part: it
 * could carry anything, including what the request sent.
 */
function unknownBody(body: unknown): string {
  const text =
    typeof body === 'string' ? body : body === undefined || body === null ? '' : (JSON.stringify(body) ?? '');
  return text.length === 0 ? '' : ` (a body of ${text.length} characters that is not a Salesforce error; not shown)`;
}

export function classifyResponse(res: SfResponse): Outcome {
  const { status, body } = res;
  if (status >= 200 && status < 300) return { statusCode: 200 };
  if (status === 300) {
    // Upsert by external id: the value is on several records. Salesforce wrote nothing; neither may we.
    const n = Array.isArray(body) ? body.length : undefined;
    return {
      statusCode: 400,
      errorCode: 'MULTIPLE_CHOICES',
      error: `Salesforce 300: ${n === undefined ? 'several' : n} records match the external id; nothing was written`,
    };
  }
  const errors = errorsInBody(body);
  if (errors.length > 0) return classifyErrors(errors, status);

  const reason = STATUS_CODES[status];
  const error = `Salesforce answered HTTP ${status}${reason ? ` ${reason}` : ''}${unknownBody(body)}`;
  const errorCode = `HTTP_${status}`;
  if (status === 401) return { statusCode: 500, error, errorCode, authErrorCategory: 'REFRESH_TOKEN' };
  if (status === 429) return { statusCode: 429, error, errorCode };
  // 502/504 from a load balancer come with an HTML page: still a server-side, passing failure.
  if (status >= 500 || status === 408) return { statusCode: 500, error, errorCode };
  // An unexpected redirect: the org moved or the instance URL is stale; a later attempt with a fresh session can succeed.
  if (status < 400) return { statusCode: 500, error, errorCode };
  return { statusCode: 400, error, errorCode };
}

const TRANSPORT_CODES = new Set([
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function classifyError(err: unknown): Outcome {
  if (err instanceof AuthError) {
    return {
      statusCode: 500,
      error: err.message,
      errorCode: err.errorCode ?? 'INVALID_SESSION_ID',
      authErrorCategory: 'REFRESH_TOKEN',
    };
  }
  if (err instanceof BudgetExceeded) {
    return {
      statusCode: 429,
      error: err.message,
      errorCode: 'API_BUDGET_EXCEEDED',
      retryAfterSeconds: err.retryAfterSeconds,
    };
  }
  if (err instanceof LoginError) return { statusCode: 400, error: err.message, errorCode: err.errorCode };
  if (err instanceof TransportError)
    return { statusCode: 500, error: `Salesforce did not answer (${err.code}): ${err.message}`, errorCode: err.code };
  const code =
    typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
      ? (err as { code: string }).code
      : undefined;
  if (code !== undefined && TRANSPORT_CODES.has(code)) {
    return { statusCode: 500, error: `Salesforce did not answer (${code})`, errorCode: code };
  }
  // Anything else is our own fault (a bug, a missing setting): retrying after a fix must stay possible, so never abort.
  return {
    statusCode: 500,
    error: err instanceof Error ? err.message : String(err),
    errorCode: code ?? 'INTERNAL_ERROR',
  };
}

export function classifyRecordErrors(errors: RecordError[]): Outcome {
  const parsed = errors.map((e): SfError => {
    const code = e.statusCode ?? e.errorCode;
    return code
      ? { code, message: e.message, fields: e.fields }
      : { ...splitCodeFromMessage(e.message), fields: e.fields };
  });
  if (parsed.length === 0)
    return { statusCode: 500, error: 'Salesforce reported a failure without saying why', errorCode: 'UNKNOWN_ERROR' };
  return classifyErrors(parsed);
}
