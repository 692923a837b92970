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
