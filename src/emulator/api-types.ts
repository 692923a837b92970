// The emulator's internal request/response shape for the REST API under /services/data/vNN.N/.
// Plain data, so composite subrequests run through the same handlers as top-level requests.

import { SfApiError } from './errors.js';

export interface ApiRequest {
  method: string;
  /** "66.0" */
  apiVersion: string;
  /** Decoded path segments after the version (no empty trailing segment). */
  segments: string[];
  query: URLSearchParams;
  contentType?: string;
  /** Request headers, lower-case names (top-level requests; composite subrequests have none). */
  headers?: Record<string, string | string[] | undefined>;
  /** Raw body bytes (top-level requests) ... */
  body?: Buffer;
  /** ... or an already parsed JSON body (composite subrequests). */
  json?: unknown;
}

export interface ApiResponse {
  status: number;
  /** JSON body; absent for 204. */
  body?: unknown;
  /** Non-JSON body (CSV results). */
  text?: string;
  /** Binary body (a base64 field's blob). */
  bytes?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

function jsonBody(req: ApiRequest): unknown {
  if (req.json !== undefined) return req.json;
  const text = req.body?.toString('utf8') ?? '';
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SfApiError(400, 'JSON_PARSER_ERROR', `Unexpected character in JSON body: ${(e as Error).message}`);
  }
}

/** The JSON body as an object, or 400 JSON_PARSER_ERROR as Salesforce answers to any other shape. */
export function jsonObject(req: ApiRequest): Record<string, unknown> {
  const body = jsonBody(req);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SfApiError(
      400,
      'JSON_PARSER_ERROR',
      'Cannot deserialize instance of sObject from a non-object JSON value',
    );
  }
  return body as Record<string, unknown>;
}

export function recordUrl(apiVersion: string, objectName: string, id: string): string {
  return `/services/data/v${apiVersion}/sobjects/${objectName}/${id}`;
}
