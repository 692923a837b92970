// RudderStack's own transformer (rudder-transformer) as one more system in the server benchmark, so
// the "≥ 2× RudderStack's events/s on the same body" is measured, not carried over by ratio.
// Enabled by BENCH_RUDDER_TRANSFORMER=<dir of a built rudder-transformer> (README "Performance" says
// how to fetch, install and build one; it is never a dependency of this project).
//
// Both systems get the same bodies in the envelope rudder-server sends to POST /v0/destinations/
// salesforce: {message, metadata (with the OAuth secret), destination (Config, DestinationDefinition)}.
// rudder-transformer's Salesforce transform looks the Lead up by email while it transforms (one SOQL
// query per event); ours, on the same route, looks every Lead of the request up in one batched query.
// Both therefore talk to this project's Salesforce emulator, started here in its own process on the
// client's core, with the session both are handed in metadata.secret (over HTTPS: rudder-transformer's
// SDK requires it). The Lead-by-Id and Contact bodies name their record by Id (context.externalId),
// so neither system makes any call for them.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CLIENT, DEFAULT_USER } from '../src/emulator/state.js';
import { toRecordId18 } from '../src/salesforce/record-id.js';
import { identifyItem } from './events.js';

/** The built rudder-transformer to measure, or undefined (the bench then prints its estimate). */
export const RUDDER_DIR = process.env.BENCH_RUDDER_TRANSFORMER || undefined;

/** The route rudder-server's processor calls for a Salesforce destination (both systems serve it). */
export const RUDDER_ROUTE = '/v0/destinations/salesforce';

/** What the run says about the rudder-transformer it measured: version and, when known, commit. */
export function rudderVersion(dir: string): string {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
  const commitFile = join(dir, 'COMMIT');
  const commit = existsSync(commitFile) ? ` @ ${readFileSync(commitFile, 'utf8').trim().slice(0, 12)}` : '';
  return `rudder-transformer ${pkg.version ?? '?'}${commit}`;
}

export interface OAuthSecret {
  access_token: string;
  instance_url: string;
}

export interface BenchEmulator {
  /** Plain HTTP, for the bench's own calls. */
  url: string;
  /** The HTTPS host both systems call (for ALLOWED_SALESFORCE_HOSTS). */
  secureHost: string;
  /** What the systems' processes need to trust the emulator's certificate. */
  env: NodeJS.ProcessEnv;
  secret: OAuthSecret;
  /** Authenticated REST calls the emulator answered (the lookups), for the report. */
  apiCalls(): Promise<number>;
  stop(): void;
}

/**
 * The project's Salesforce emulator in its own process (bench/bench-emulator.mjs over the built
 * dist/), pinned with `pin` (taskset arguments) when given, serving HTTPS with a throw-away
 * self-signed certificate (openssl) that the systems are told to trust through NODE_EXTRA_CA_CERTS.
 * The day's API allowance is raised so a long run never meets REQUEST_LIMIT_EXCEEDED, and one
 * session is logged in for both systems to use.
 */
export async function startBenchEmulator(pin: string[]): Promise<BenchEmulator> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-emulator-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const args = [process.execPath, fileURLToPath(new URL('./bench-emulator.mjs', import.meta.url))];
  const child: ChildProcess = spawn(pin.length ? 'taskset' : args[0], pin.length ? [...pin, ...args] : args.slice(1), {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_TLS_KEY: key, BENCH_TLS_CERT: cert },
  });
  const [plainPort, securePort] = await new Promise<number[]>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(String(d).trim().split(' ').map(Number)));
    child.once('exit', (code) => reject(new Error(`the Salesforce emulator exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${plainPort}`;
  const post = async (path: string, body: string, type: string) => {
    const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': type }, body });
    if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  await post('/__emulator/limits', JSON.stringify({ apiMax: 1_000_000_000 }), 'application/json');
  const form = new URLSearchParams({
    grant_type: 'password',
    client_id: DEFAULT_CLIENT.clientId,
    client_secret: DEFAULT_CLIENT.clientSecret,
    username: DEFAULT_USER.username,
    password: DEFAULT_USER.password + (DEFAULT_USER.securityToken ?? ''),
  });
  const token = await post('/services/oauth2/token', form.toString(), 'application/x-www-form-urlencoded');
  return {
    url,
    secureHost: `127.0.0.1:${securePort}`,
    env: { NODE_EXTRA_CA_CERTS: cert },
    secret: { access_token: String(token.access_token), instance_url: `https://127.0.0.1:${securePort}` },
    apiCalls: async () => ((await (await fetch(`${url}/__emulator/limits`)).json()) as { apiUsed: number }).apiUsed,
    stop: () => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The Lead upsert identify naming its Lead by Id (context.externalId): an update, no lookup, in both systems. */
export function leadByIdItem(i: number) {
  const item = identifyItem(i);
  const id = toRecordId18(`00Q${String(i).padStart(12, '0')}`);
  return {
    ...item,
    message: { ...item.message, context: { ...item.message.context, externalId: [{ type: 'Salesforce-Lead', id }] } },
  };
}

/**
 * rudder-server's destination definitions for Salesforce. With the session in metadata.secret both
 * authenticate without a call; they differ in how rudder-transformer looks a record up. SALESFORCE_OAUTH
 * uses SOQL through its SDK (the emulator serves /query) and builds that SDK client for every event,
 * lookup or not; SALESFORCE uses parameterizedSearch (which the emulator does not serve) and builds
 * none. Bodies that need no lookup are therefore sent as SALESFORCE: rudder-transformer's cheapest path.
 */
export type RudderDefinition = 'SALESFORCE' | 'SALESFORCE_OAUTH';

/** One of the bench's items ({message, metadata, destination}) as rudder-server sends it. */
export function rudderEnvelope(
  item: { message: object; metadata: { jobId: number } & object; destination: { Config: object } },
  secret: OAuthSecret,
  definition: RudderDefinition,
) {
  return {
    message: item.message,
    metadata: { ...item.metadata, destinationId: 'dest-sf-1', workspaceId: 'ws-1', secret },
    destination: {
      ID: 'dest-sf-1',
      Name: 'Salesforce',
      Enabled: true,
      Config: item.destination.Config,
      DestinationDefinition: { ID: `def-${definition.toLowerCase()}`, Name: definition, DisplayName: 'Salesforce' },
    },
  };
}

interface RudderItem {
  statusCode?: number;
  error?: string;
  output?: unknown;
}

/** Per-event statuses in a /v0/destinations answer, and the first request it built (for the report). */
export function rudderAnswerSummary(text: string): { ok: number; total: number; statuses: string; first: string } {
  const items = JSON.parse(text) as RudderItem[];
  const counts = new Map<string, number>();
  for (const i of items) counts.set(String(i.statusCode), (counts.get(String(i.statusCode)) ?? 0) + 1);
  const ok = items.filter((i) => i.statusCode === 200).length;
  const firstOk = items.find((i) => i.statusCode === 200)?.output as Record<string, unknown> | undefined;
  const firstBad = items.find((i) => i.statusCode !== 200);
  const first = firstOk
    ? `${String(firstOk.method)} ${String(firstOk.endpoint).replace(/^https?:\/\/[^/]+/, '')} ${JSON.stringify(firstOk.body ?? {}).slice(0, 160)}`
    : `${firstBad?.statusCode}: ${String(firstBad?.error).slice(0, 200)}`;
  return { ok, total: items.length, statuses: [...counts].map(([s, n]) => `${n}×${s}`).join(' '), first };
}
