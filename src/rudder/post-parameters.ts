// rudder-server's PostParametersT: the request it sends (direct mode) or hands to our proxy.
import type { PostParameters } from './protocol.js';

export function postParameters(p: {
  method: string;
  endpoint: string;
  endpointPath: string;
  headers: Record<string, string>;
  json?: Record<string, unknown>;
  userId?: unknown;
}): PostParameters {
  return {
    version: '1',
    type: 'REST',
    method: p.method,
    endpoint: p.endpoint,
    endpointPath: p.endpointPath,
    userId: typeof p.userId === 'string' ? p.userId : '',
    headers: p.headers,
    params: {},
    body: { JSON: p.json ?? {}, JSON_ARRAY: {}, XML: {}, FORM: {} },
    files: {},
  };
}
