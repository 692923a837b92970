// A tiny fetch client for the emulator tests: log in once, then call the REST API like a product would.

import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/emulator.js';

export const V = '/services/data/v66.0';

export interface Reply {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export class Client {
  constructor(
    readonly base: string,
    public token: string,
  ) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const init: RequestInit = { method, headers: { Authorization: `Bearer ${this.token}`, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(this.base + path, init);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  }

  query(soql: string): Promise<Reply> {
    return this.call('GET', `${V}/query?q=${encodeURIComponent(soql)}`);
  }
}

export async function passwordLogin(base: string, form: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      username: 'admin@example.com',
      password: 'passTOKEN',
      client_id: 'emulator-client',
      client_secret: 'emulator-secret',
      ...form,
    }).toString(),
  });
}

/** Starts an emulator and logs in through the OAuth endpoint, as the product does. */
export async function startWithClient(
  options: EmulatorOptions = {},
): Promise<{ emulator: RunningEmulator; client: Client }> {
  const emulator = await startEmulator(options);
  const res = await passwordLogin(emulator.url);
  const token = ((await res.json()) as { access_token: string }).access_token;
  return { emulator, client: new Client(emulator.url, token) };
}

/**
 * Mocha hooks every emulator suite needs: one emulator for the suite (logged in), a fresh org
 * state for each test, and the emulator closed at the end. `bind` receives both once started.
 */
export function useEmulator(
  bind: (emulator: RunningEmulator, client: Client) => void,
  options: EmulatorOptions = {},
): void {
  let emulator: RunningEmulator | undefined;
  before(async () => {
    const started = await startWithClient(options);
    emulator = started.emulator;
    bind(started.emulator, started.client);
  });
  after(() => emulator?.close());
  beforeEach(() => emulator?.state.reset());
}
