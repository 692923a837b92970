// /__emulator/* : seeding, inspection and fault injection over HTTP, for tests in other processes.
// No token, not counted as API calls: these are the test harness's hands, not the org's API.

import type { FaultSpec } from './faults.js';
import { handleSourceAdmin } from './source-admin.js';
import type { ObjectDefinition } from './object-registry.js';
import type { RecordFault } from './records.js';
import type { EmulatorState } from './state.js';
import type { FieldValues } from './store.js';

export interface AdminResponse {
  status: number;
  body?: unknown;
}

const asList = <T>(body: unknown): T[] => (Array.isArray(body) ? body : [body]) as T[];

export function handleAdmin(state: EmulatorState, method: string, path: string, body: unknown): AdminResponse {
  const parts = path
    .replace(/^\/__emulator\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  const route = `${method} ${parts[0] ?? ''}`;
  try {
    switch (route) {
      case 'POST reset': {
        const opts = (body ?? {}) as { seed?: number; sessions?: boolean };
        state.reset({ seed: opts.seed, sessions: opts.sessions });
        return { status: 200, body: { ok: true } };
      }
      case 'GET stats':
        return { status: 200, body: state.getStats() };
      case 'DELETE stats':
        state.stats.reset();
        return { status: 204 };
      case 'GET faults':
        return { status: 200, body: { faults: state.faults.pending(), recordFaults: state.recordFaults } };
      case 'POST faults':
        for (const f of asList<FaultSpec | (RecordFault & { kind: 'record' })>(body)) {
          if (f && (f as { kind?: string }).kind === 'record') state.addRecordFault(f as RecordFault);
          else state.addFault(f as FaultSpec);
        }
        return { status: 201, body: { faults: state.faults.pending(), recordFaults: state.recordFaults } };
      case 'DELETE faults':
        state.clearFaults();
        return { status: 204 };
      case 'POST expire-tokens':
        state.expireTokens();
        return { status: 204 };
      case 'POST tokens': {
        const opts = (body ?? {}) as { username?: string; clientId?: string; refreshToken?: boolean };
        return { status: 201, body: state.issueToken(opts) };
      }
      case 'GET records':
        if (!parts[1]) break;
        if (!state.registry.get(parts[1])) return { status: 404, body: { error: `unknown object ${parts[1]}` } };
        return { status: 200, body: state.list(parts[1]) };
      case 'POST records':
        if (!parts[1]) break;
        return { status: 201, body: state.seed(parts[1], asList<FieldValues>(body)) };
      case 'POST objects':
        for (const def of asList<ObjectDefinition>(body)) state.defineObject(def);
        return { status: 201, body: { objects: state.registry.list().map((o) => o.name) } };
      case 'GET source':
      case 'POST source': {
        const out = handleSourceAdmin(state, method, parts.slice(1), body);
        if (out) return out;
        break;
      }
      case 'GET limits':
        return { status: 200, body: state.limits.settings };
      case 'POST limits':
        return { status: 200, body: state.limits.set(body ?? {}) };
      case 'GET settings':
        return { status: 200, body: state.settings };
      case 'POST settings':
        return { status: 200, body: state.configure(body ?? {}) };
      default:
        break;
    }
  } catch (e) {
    return { status: 400, body: { error: (e as Error).message } };
  }
  return { status: 404, body: { error: `no admin endpoint ${method} ${path}` } };
}
