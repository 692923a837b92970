// Runs the hostile corpus against a server in its own process while a normal client (another
// process) keeps sending identifies. Used by the test suite and by bench/sections/hostile.ts.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { answerText, type HostileCase } from './corpus.js';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export interface AttackReport {
  /** One line per case whose answer was not the one expected. */
  failures: string[];
  statuses: number[];
  /** Each normal request's latency (ms) during the attack. */
  latencies: number[];
  /** For each normal request, the CPU time (ms) the server's event loop spent while it was open. */
  serverBusy: number[];
  normalFailures: string[];
  /** Set when the server process died. */
  crashed?: string;
  ms: number;
}

export interface Target {
  base: string;
  server: ChildProcess;
  stop(): void;
}

export async function startServer(): Promise<Target> {
  const server = fork(here('./server-child.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('message', (m: { port: number }) => resolve(m.port));
    server.once('exit', (code, signal) => reject(new Error(`server exited while starting (${signal ?? code})`)));
  });
  return { base: `http://127.0.0.1:${port}`, server, stop: () => server.kill() };
}

async function post(base: string, path: string, body: string) {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as unknown };
}

/** Checks one answer against its case; returns what is wrong, or undefined. */
export function judge(c: HostileCase, status: number, body: unknown): string | undefined {
  if (status !== c.status) return `status ${status}, expected ${c.status}`;
  if (c.says && !c.says.test(answerText(body))) return `does not say ${c.says}`;
  if (c.items) {
    const got = body as { statusCode: number; error?: string }[];
    if (!Array.isArray(got) || got.length !== c.items.length) return `expected ${c.items.length} items`;
    const i = c.items.findIndex(
      (want, k) => got[k].statusCode !== want.statusCode || (want.error && !want.error.test(got[k].error ?? '')),
    );
    if (i >= 0)
      return `item ${i}: statusCode ${got[i].statusCode} (expected ${c.items[i].statusCode}), error should say ${c.items[i].error}: ${got[i].error}`;
  }
  return undefined;
}

/** `clients` hostile clients at once, each taking the next case, `rounds` times over the corpus. */
export async function attack(
  target: Target,
  corpus: HostileCase[],
  options: { clients?: number; rounds?: number } = {},
): Promise<AttackReport> {
  const started = performance.now();
  let crashed: string | undefined;
  const onExit = (code: number | null, signal: string | null) => {
    crashed = `server process exited (${signal ?? code})`;
  };
  target.server.on('exit', onExit);
  const normal = fork(here('./normal-client.ts'), [target.base, String(target.server.pid)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const normalDone = new Promise<{ latencies: number[]; serverBusy: number[]; failures: string[] }>((resolve) =>
    normal.on('message', (m: { latencies?: number[] }) => m.latencies && resolve(m as never)),
  );
  await new Promise((resolve) => normal.once('message', resolve)); // warmed up

  const failures: string[] = [];
  const statuses: number[] = [];
  const queue = Array.from({ length: options.rounds ?? 1 }, () => corpus).flat();
  const client = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      try {
        const res = await post(target.base, c.path, c.body);
        statuses.push(res.status);
        const wrong = judge(c, res.status, res.body);
        if (wrong) failures.push(`${c.name}: ${wrong}\n  answer: ${JSON.stringify(res.body).slice(0, 400)}`);
      } catch (err) {
        failures.push(`${c.name}: request failed: ${(err as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients ?? 4 }, client));
  normal.send({ stop: true });
  const { latencies, serverBusy, failures: normalFailures } = await normalDone;
  target.server.off('exit', onExit);
  return { failures, statuses, latencies, serverBusy, normalFailures, crashed, ms: performance.now() - started };
}
