// A sandbox process: evaluates JSONata expressions sent by the server, one at a time. Its heap is
// bounded by --max-old-space-size and the server kills it when an evaluation overruns its time; in
// both cases only this process dies, and the server starts another.
import type jsonata from 'jsonata';
import { plainResult, prepareJsonata } from './jsonata-engine.js';
import type { SandboxReply, SandboxTask } from './sandbox-protocol.js';

/** JSONata's own (cooperative, wall-clock) timeout: only a backstop to the server's CPU-time bound. */
const wallMs = Number(process.argv[2] ?? 2000);
const compiled = new Map<string, jsonata.Expression>();
const MAX_COMPILED = 2000;

function expression(source: string): jsonata.Expression {
  let e = compiled.get(source);
  if (!e) {
    e = prepareJsonata(source, { timeout: wallMs });
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(source, e);
  }
  return e;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string; code?: string };
const send = (reply: Reply) => {
  try {
    process.send!({ ...reply, cpuMs: cpuMs() });
  } catch {
    // The value holds something that is not data (a function inside an object).
    process.send!({
      id: reply.id,
      ok: false,
      message: 'the result is not JSON data',
      cpuMs: cpuMs(),
    } satisfies SandboxReply);
  }
};

process.on('message', (task: SandboxTask) => {
  let pending: Promise<unknown>;
  try {
    pending = expression(task.source).evaluate(task.input, task.vars);
  } catch (err) {
    pending = Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  pending.then(
    (value) => send({ id: task.id, ok: true, value: plainResult(value) }),
    (err: { message?: string; code?: string }) =>
      send({ id: task.id, ok: false, message: err?.message ?? String(err), code: err?.code }),
  );
});
// The parent going away ends this process (no orphans).
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true, cpuMs: cpuMs() });
