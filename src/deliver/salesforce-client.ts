// The seam between the executor (which knows Operations) and the wire (which knows HTTP and tokens).
// The executor and the classifier need Salesforce's own status and body, so non-2xx answers are
// returned, never thrown; only failures where Salesforce said nothing at all are thrown.

export interface SfRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Relative to the instance URL; starts with /services/. */
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (CSV for Bulk API 2.0 uploads); wins over `body`. */
  rawBody?: string;
  contentType?: string;
  accept?: string;
}

export interface SfResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the answer is JSON, else the text (an HTML error page, CSV results, ''). */
  body: unknown;
}

export interface SalesforceClient {
  request(req: SfRequest): Promise<SfResponse>;
  readonly apiVersion: string;
  readonly instanceUrl: string;
}

/** Salesforce never answered: timeout, connection reset/refused, DNS failure. Retryable. */
export class TransportError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
    this.code = code;
  }
}

/** The session is gone and cannot be renewed here; the router must refresh the destination's token. */
export class AuthError extends Error {
  readonly category = 'REFRESH_TOKEN' as const;
  /** Salesforce's own code when it gave one (INVALID_SESSION_ID, invalid_grant, ...). */
  readonly errorCode?: string;
  constructor(message: string, errorCode?: string) {
    super(message);
    this.name = 'AuthError';
    this.errorCode = errorCode;
  }
}

/** The username-password login was refused: the destination's settings must change before anything can be sent. */
export class LoginError extends Error {
  readonly errorCode: string;
  constructor(message: string, errorCode: string) {
    super(message);
    this.name = 'LoginError';
    this.errorCode = errorCode;
  }
}

/** The org's API budget for today is spent (shared-state/api-budget.ts): the call was not made. */
export class BudgetExceeded extends Error {
  constructor(
    readonly org: string,
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`the API budget for ${org} (${limit} calls in 24 h) is spent; not sent, retry in ${retryAfterSeconds} s`);
    this.name = 'BudgetExceeded';
  }
}

/** What the REST client needs from the auth layer (src/deliver/auth.ts's Authenticator, bound to one destination). */
export interface SessionSource {
  current(): Promise<{ accessToken: string; instanceUrl: string }>;
  /** Salesforce refused `staleToken`; resolves to a new session or rejects with AuthError. */
  renew(staleToken: string): Promise<{ accessToken: string; instanceUrl: string }>;
}

/**
 * REST calls go through Node's fetch (undici), not jsforce's Connection/HttpApi: those throw on every
 * non-2xx, rewrite the body on the way (several errors collapse into MULTIPLE_API_ERRORS, an HTML page
 * into a prose message, a 300 into an exception) and drop the HTTP status, which is exactly what the
 * classifier needs. jsforce's lower Transport keeps the status but defaults to following redirects
 * (a bearer token sent to whatever host a Location names), retries a 420 even with maxRetries 0, times
 * out only the headers (30 minutes by default), and pipes the body without forwarding a mid-body
 * connection error, so a dropped connection hangs instead of failing. jsforce still does what it does
 * well here: the OAuth2 password and refresh-token flows (auth.ts).
 */
export class RestSalesforceClient implements SalesforceClient {
  private session?: { accessToken: string; instanceUrl: string };

  constructor(
    private readonly sessions: SessionSource,
    readonly apiVersion: string,
    private readonly timeoutMs: number,
    initial?: { accessToken: string; instanceUrl: string },
  ) {
    this.session = initial;
  }

  get instanceUrl(): string {
    return this.session?.instanceUrl ?? '';
  }

  async request(req: SfRequest): Promise<SfResponse> {
    if (!req.path.startsWith('/services/')) {
      // A path is joined to the instance URL; anything else ("//evil.io/x", "https://...") could leave the org.
      throw new Error(`refusing request path ${JSON.stringify(req.path.slice(0, 80))}: it must start with /services/`);
    }
    const session = await this.sessions.current();
    this.session = session;
    const res = await this.send(req, session);
    if (res.status !== 401 || !isInvalidSession(res.body)) return res;
    // Renewed once and replayed once; a second refusal is returned for the classifier to report.
    const renewed = await this.sessions.renew(session.accessToken);
    this.session = renewed;
    return this.send(req, renewed);
  }

  private async send(req: SfRequest, session: { accessToken: string; instanceUrl: string }): Promise<SfResponse> {
    const url = new URL(session.instanceUrl + req.path);
    const query = Object.entries(req.query ?? {});
    // %20 rather than URLSearchParams' "+": what jsforce sends, and unambiguous in a SOQL string.
    if (query.length > 0)
      url.search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const headers: Record<string, string> = {
      authorization: `Bearer ${session.accessToken}`,
      accept: req.accept ?? 'application/json',
    };
    let body: string | undefined;
    if (req.rawBody !== undefined) {
      body = req.rawBody;
      headers['content-type'] = req.contentType ?? 'text/plain';
    } else if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = req.contentType ?? 'application/json';
    }
    let response: Response;
    let text: string;
    try {
      // One signal bounds the whole exchange, body included.
      const signal = AbortSignal.timeout(this.timeoutMs);
      response = await fetch(url, { method: req.method, headers, body, redirect: 'manual', signal });
      text = await response.text();
    } catch (err) {
      throw toTransportError(err, this.timeoutMs);
    }
    const resHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      resHeaders[name] = value;
    });
    return { status: response.status, headers: resHeaders, body: parseBody(text, resHeaders['content-type']) };
  }
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '' || !contentType || !/[/+]json\b/i.test(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** 401 also answers e.g. "This session is not valid for use with the REST API"; only a dead session is worth a refresh. */
function isInvalidSession(body: unknown): boolean {
  if (typeof body === 'string') return body.includes('INVALID_SESSION_ID') || body.trim() === '';
  const list = Array.isArray(body) ? body : [body];
  return list.some(
    (e) => typeof e === 'object' && e !== null && (e as { errorCode?: unknown }).errorCode === 'INVALID_SESSION_ID',
  );
}

function toTransportError(err: unknown, timeoutMs: number): TransportError {
  if (err instanceof TransportError) return err;
  const e = err as {
    name?: string;
    message?: string;
    code?: string;
    cause?: { code?: string; message?: string; name?: string };
  };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new TransportError('ETIMEDOUT', `no answer within ${timeoutMs} ms`, { cause: err });
  }
  // undici wraps the system error: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }).
  const code = e?.cause?.code ?? e?.code ?? (e?.cause?.name === 'SocketError' ? 'UND_ERR_SOCKET' : 'ECONNRESET');
  const detail = e?.cause?.message ?? e?.message ?? String(err);
  return new TransportError(code, detail, { cause: err });
}
