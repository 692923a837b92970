// Salesforce's error shapes. REST answers carry a JSON array of `{message, errorCode, fields?}`;
// per-record results (collections, composite graphs) carry `{statusCode, message, fields}` instead.

export interface SfError {
  message: string;
  errorCode: string;
  fields?: string[];
}

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** An error that ends a REST request with `status` and Salesforce's error array as the body. */
export class SfApiError extends Error {
  readonly status: number;
  readonly errors: SfError[];

  constructor(status: number, errorCode: string, message: string, fields?: string[]) {
    super(message);
    this.status = status;
    this.errors = [fields ? { message, errorCode, fields } : { message, errorCode }];
  }

  static of(status: number, errors: SfError[]): SfApiError {
    const e = new SfApiError(status, errors[0]?.errorCode ?? 'UNKNOWN_EXCEPTION', errors[0]?.message ?? '');
    (e as { errors: SfError[] }).errors = errors;
    return e;
  }

  toRecordErrors(): RecordError[] {
    return this.errors.map((e) => ({ statusCode: e.errorCode, message: e.message, fields: e.fields ?? [] }));
  }
}

export function notFound(message = 'The requested resource does not exist'): SfApiError {
  return new SfApiError(404, 'NOT_FOUND', message);
}

export function sessionInvalid(): SfApiError {
  return new SfApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
}
