// The HTTP front: URI length limit, fault injection, the OAuth endpoint, version and session
// checks, body limits, API call counting, then dispatch. Plain node:http, because faults need the
// raw socket (ECONNRESET) and the 414 check must happen before anything parses the URL.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleAdmin } from './admin.js';
import { dispatchApi } from './api-router.js';
import type { ApiResponse } from './api-types.js';
import { SfApiError, sessionInvalid } from './errors.js';
import { faultResponse } from './faults.js';
import type { EmulatorState } from './state.js';

const MIN_VERSION = 20;
const MAX_VERSION = 66;
/** REST bodies other than Bulk uploads; Salesforce's own limit is in this range. */
const JSON_BODY_LIMIT = 50 * 1024 * 1024;
const JSON_TYPE = 'application/json;charset=UTF-8';

class TooLarge extends Error {}

export function createEmulatorServer(state: EmulatorState): Server {
  // A larger header limit than Node's 16 KB default, so an overlong URI reaches our 414 check.
  return createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
    handle(state, req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: `emulator error: ${(e as Error).message}` }]);
      } else {
        res.destroy();
      }
    });
  });
}

async function handle(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = req.url ?? '/';
  const method = (req.method ?? 'GET').toUpperCase();
  if (Buffer.byteLength(target) > state.settings.maxUriBytes) {
    req.resume();
    res.writeHead(414, { 'Content-Type': 'text/html', Connection: 'close' });
    res.end(
      '<html><head><title>414 Request-URI Too Large</title></head><body><h1>414 Request-URI Too Large</h1></body></html>\n',
    );
    return;
  }
  const url = new URL(target, 'http://emulator.invalid');
  const path = url.pathname;

  if (path === '/__emulator' || path.startsWith('/__emulator/')) {
    const raw = await readBody(req, JSON_BODY_LIMIT);
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      sendJson(res, 400, { error: 'admin bodies are JSON' });
      return;
    }
    const out = handleAdmin(state, method, path, body);
    if (out.status === 204) {
      res.writeHead(204).end();
    } else {
      sendJson(res, out.status, out.body);
    }
    return;
  }

  const versioned = /^\/services\/data\/v(\d{2})\.(\d)(?:\/(.*))?$/.exec(path);
  const apiPath = versioned ? (versioned[3] ?? '').replace(/\/+$/, '') : undefined;

  const fault = state.faults.take(method, path, apiPath);
  if (fault) {
    switch (fault.kind) {
      case 'reset':
        state.stats.faultInjected();
        // An RST, not a FIN: clients must see ECONNRESET, as when a load balancer drops them.
        req.socket.resetAndDestroy();
        return;
      case 'latency':
        await new Promise((r) => setTimeout(r, fault.ms));
        break;
      case 'expireTokens':
        state.expireTokens();
        break;
      case 'error': {
        state.stats.faultInjected();
        req.resume();
        const out = faultResponse(fault);
        res.writeHead(out.status, { 'Content-Type': out.contentType });
        res.end(out.body);
        return;
      }
    }
  }

  if (path === '/services/oauth2/token') {
    state.stats.tokenRequest();
    if (method !== 'POST') {
      sendJson(res, 405, { error: 'invalid_request', error_description: 'must use HTTP POST' });
      return;
    }
    const raw = await readBody(req, 1024 * 1024);
    const out = state.sessions.tokenEndpoint(
      req.headers['content-type'],
      url.searchParams,
      raw.toString('utf8'),
      state.options.instanceUrl ?? state.instanceUrl,
    );
    sendJson(res, out.status, out.body);
    return;
  }

  if (path === '/services/data' || path === '/services/data/') {
    const versions = [];
    for (let v = MIN_VERSION; v <= MAX_VERSION; v++)
      versions.push({ version: `${v}.0`, label: `v${v}.0`, url: `/services/data/v${v}.0` });
    sendJson(res, 200, versions);
    return;
  }
  if (!versioned || Number(versioned[1]) < MIN_VERSION || Number(versioned[1]) > MAX_VERSION || versioned[2] !== '0') {
    req.resume();
    sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    return;
  }

  const session = state.sessions.check(req.headers.authorization);
  if (!session) {
    req.resume();
    sendJson(res, 401, sessionInvalid().errors);
    return;
  }

  try {
    state.limits.admit();
  } catch (e) {
    req.resume();
    sendJson(res, (e as SfApiError).status, (e as SfApiError).errors, { 'Sforce-Limit-Info': state.limits.header() });
    return;
  }

  const isUpload = method === 'PUT' && /^jobs\/ingest\/[^/]+\/batches$/.test(apiPath ?? '');
  const limit = isUpload ? state.settings.bulkMaxUploadBytes : JSON_BODY_LIMIT;
  let body: Buffer;
  try {
    body = await readBody(req, limit);
  } catch (e) {
    if (!(e instanceof TooLarge)) throw e;
    state.stats.apiCall(`${method} ${isUpload ? 'jobs/ingest/:job/batches' : '(too large)'}`);
    state.limits.count();
    sendJson(
      res,
      413,
      [{ errorCode: 'REQUEST_TOO_LARGE', message: `Request body exceeds the limit of ${limit} bytes` }],
      { Connection: 'close', 'Sforce-Limit-Info': state.limits.header() },
    );
    return;
  }

  const { label, response } = dispatchApi(state, {
    method,
    apiVersion: `${versioned[1]}.${versioned[2]}`,
    segments: (apiPath ?? '') === '' ? [] : (apiPath as string).split('/').map(safeDecode),
    query: url.searchParams,
    contentType: req.headers['content-type'],
    headers: req.headers,
    body,
  });
  state.stats.apiCall(label);
  state.limits.count();
  send(res, response, state);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new SfApiError(400, 'NOT_FOUND', 'The requested resource does not exist');
  }
}

/** Reads the body, refusing early (by Content-Length) or as soon as it passes `limit`. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new TooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function send(res: ServerResponse, response: ApiResponse, state: EmulatorState): void {
  const headers: Record<string, string> = {
    'Sforce-Limit-Info': state.limits.header(),
    ...(response.headers ?? {}),
  };
  if (
    response.status === 204 ||
    (response.body === undefined && response.text === undefined && response.bytes === undefined)
  ) {
    res.writeHead(response.status, headers).end();
    return;
  }
  if (response.bytes !== undefined) {
    res.writeHead(response.status, { ...headers, 'Content-Type': response.contentType ?? 'application/octetstream' });
    res.end(response.bytes);
    return;
  }
  if (response.text !== undefined) {
    res.writeHead(response.status, { ...headers, 'Content-Type': response.contentType ?? 'text/plain' });
    res.end(response.text);
    return;
  }
  sendJson(res, response.status, response.body, headers);
}
