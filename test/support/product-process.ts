// The product as a user runs it (`src/server/main.ts` in its own process), pointed at a local
// emulator, for tests that need several processes, signals or a dying Redis. Its JSON log lines
// are kept for assertions.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CLIENT, DEFAULT_USER } from '../../src/emulator/emulator.js';
import { onJsonLogLines } from './json-log-lines.js';

const MAIN = fileURLToPath(new URL('../../src/server/main.ts', import.meta.url));

export interface ProductProcess {
  url: string;
  child: ChildProcess;
  logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

export async function startProduct(emulatorUrl: string, env: Record<string, string> = {}): Promise<ProductProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: '0',
      WORKERS: '1',
      LOG_LEVEL: 'info',
      WATCH_MAPPINGS: 'false',
      ALLOWED_SALESFORCE_HOSTS: '127.0.0.1',
      SALESFORCE_LOGIN_URL: emulatorUrl,
      SALESFORCE_CLIENT_ID: DEFAULT_CLIENT.clientId,
      SALESFORCE_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
      PROXY_TIMEOUT_MS: '10000',
      ...env,
    },
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the product did not start within 60 s: ${stderr}`)), 60_000);
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    onJsonLogLines(child.stdout, (entry) => {
      logs.push(entry);
      if (entry.message === 'listening') {
        clearTimeout(timer);
        resolve(Number(entry.port));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the product exited with ${code} before listening: ${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    logs,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The /proxy input for one identify per email, mapped by the shipped mappings (POST /transform). */
export async function proxyItems(productUrl: string, emails: string[]): Promise<Array<Record<string, unknown>>> {
  const destination = {
    Config: {
      userName: DEFAULT_USER.username,
      password: DEFAULT_USER.password,
      initialAccessToken: DEFAULT_USER.securityToken ?? '',
    },
  };
  const events = emails.map((email, i) => ({
    message: {
      type: 'identify',
      userId: email,
      traits: { email, lastName: `Last${i}`, company: 'Acme' },
      integrations: { Salesforce: true },
    },
    metadata: { jobId: i + 1 },
    destination,
  }));
  const res = await fetch(`${productUrl}/transform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  const mapped = (await res.json()) as Array<{ statusCode: number; metadata: unknown; output: unknown }>;
  for (const m of mapped) if (m.statusCode !== 200) throw new Error(`event did not map: ${JSON.stringify(m)}`);
  return mapped.map((m) => ({ metadata: m.metadata, destination, output: m.output }));
}

export interface ProxyAnswer {
  status: number;
  retryAfter: string | null;
  items: Array<{ statusCode: number; error?: string; errorCode?: string; retryAfterSeconds?: number }>;
}

export async function postProxy(productUrl: string, items: unknown[]): Promise<ProxyAnswer> {
  const res = await fetch(`${productUrl}/proxy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(items),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    items: (await res.json()) as ProxyAnswer['items'],
  };
}
