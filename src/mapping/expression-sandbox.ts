// JSONata that did not compile to the fast path runs here: in a few separate Node processes, never
// on the server's event loop. A process has a bounded heap (--max-old-space-size) and each
// evaluation a wall-clock deadline; an evaluation that overruns either stops only its own process
// (killed, or aborted by V8), its event gets a 400 naming the rule and field, and a fresh process
// takes the next task. Processes rather than worker threads: V8's fatal errors (an array too large
// to allocate, a heap that cannot grow) abort the whole process, worker threads included.
//
// Two pools: expressions from the operator's mapping files, and expressions a client sent (inline
// rules, the playground). A flood of hostile inline rules queues only behind itself.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { SandboxMessage, SandboxTask } from './sandbox-protocol.js';

const sandboxLimits = {
  /**
   * CPU-time bound of one evaluation. Measured as CPU rather than wall-clock so that a busy machine
   * (a process waiting for a core) does not fail good events; `wallMs` bounds waiting as well.
   */
  timeoutMs: Number(process.env.EXPRESSION_TIMEOUT_MS ?? 200),
  /** Wall-clock bound of one evaluation, however little CPU it got. */
  wallMs: Number(process.env.EXPRESSION_WALL_MS ?? 2000),
  /** Heap bound of a sandbox process. */
  memoryMb: Number(process.env.EXPRESSION_MEMORY_MB ?? 64),
  /** Processes per pool, started on first use. */
  processes: Math.max(1, Number(process.env.SANDBOX_PROCESSES ?? 2)),
  /** Evaluations waiting for a process beyond this are refused at once (the event's 400). */
  maxQueued: 20_000,
  /** A process that is not ready by then is killed and counted as a failed start. */
  startMs: 20_000,
  /** A client's expression stopped this many times is refused at once for `quarantineMs`. */
  strikes: 2,
  quarantineMs: 60_000,
};

export type Trust = 'files' | 'clients';

/** Why an evaluation did not produce a value: the message becomes the event's 400. */
export class SandboxError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

interface Waiting {
  task: Omit<SandboxTask, 'id'>;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface Slot {
  child: ChildProcess;
  ready: boolean;
  current?: { id: number; waiting: Waiting; timer: NodeJS.Timeout; started: number };
  startTimer?: NodeJS.Timeout;
  /** The process's CPU time (ms) as of its last reply: it is idle between tasks, so a task's baseline. */
  cpuMs: number;
}

/** A process's CPU time in ms from /proc (Linux), or undefined where that cannot be read. */
function cpuTimeMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** How much lower than the server a sandbox process runs (Unix niceness). */
const SANDBOX_NICENESS = 5;
const setPriorityBase = () => {
  try {
    return getPriority();
  } catch {
    return 0;
  }
};

const own = import.meta.url;
const childEntry = fileURLToPath(new URL(own.endsWith('.ts') ? './sandbox-child.ts' : './sandbox-child.js', own));

class SandboxPool {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private queue: Waiting[] = [];
  private head = 0;
  private nextId = 1;
  private failedStarts = 0;
  /** Evaluations stopped for time or memory since start (for /health and tests). */
  readonly stopped = { time: 0, memory: 0 };
  /**
   * Client expressions stopped for time or memory, by source: without this, one request of a
   * thousand events repeating a runaway expression would hold the pool for minutes.
   */
  private readonly strikes = new Map<string, { count: number; until: number }>();

  constructor(
    readonly name: Trust,
    private readonly limits = sandboxLimits,
  ) {}

  evaluate(source: string, input: unknown, vars: Record<string, unknown>): Promise<unknown> {
    const strike = this.strikes.get(source);
    if (strike && strike.until > Date.now()) {
      return Promise.reject(
        new SandboxError(
          `refused: this expression was stopped ${strike.count} times for exceeding its time or memory bound (retry after ${new Date(strike.until).toISOString()})`,
          'QUARANTINED',
        ),
      );
    }
    if (this.queue.length - this.head >= this.limits.maxQueued) {
      return Promise.reject(
        new SandboxError(
          `too many expressions waiting to be evaluated (${this.limits.maxQueued}); retry later`,
          'SANDBOX_BUSY',
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ task: { source, input, vars }, resolve, reject });
      this.pump();
    });
  }

  /** Stops every sandbox process (tests, shutdown); queued evaluations are refused. */
  close(): void {
    for (const w of this.queue.slice(this.head))
      w.reject(new SandboxError('the expression sandbox was closed', 'SANDBOX_CLOSED'));
    this.queue = [];
    this.head = 0;
    for (const s of [...this.slots]) this.discard(s, 'closed');
  }

  get processes(): number {
    return this.slots.size;
  }

  private pump(): void {
    while (this.head < this.queue.length) {
      const slot = this.idle.pop();
      if (!slot) {
        // Start the whole pool at once, and replace a stopped process at once: a start takes a
        // second or more, and work should not wait for it one process at a time.
        while (this.slots.size < this.limits.processes && this.spawn());
        return;
      }
      const waiting = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.dispatch(slot, waiting);
    }
  }

  /** Starts one process; false when it could not be started. */
  private spawn(): boolean {
    const execArgv = [
      ...process.execArgv.filter((a) => !/^--max-(old|semi)-space-size/.test(a)),
      `--max-old-space-size=${this.limits.memoryMb}`,
    ];
    let child: ChildProcess;
    try {
      child = fork(childEntry, [String(this.limits.wallMs)], {
        execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      });
    } catch (err) {
      this.startFailed(`cannot start a sandbox process: ${(err as Error).message}`);
      return false;
    }
    // Below the server's priority: on a machine with as many busy sandboxes as cores, the OS still
    // runs the server's event loop first, so client code cannot starve other clients' requests.
    try {
      if (child.pid !== undefined) setPriority(child.pid, Math.min(19, setPriorityBase() + SANDBOX_NICENESS));
    } catch {
      // Not permitted here: the bounds still hold, only the scheduling preference is lost.
    }
    // Idle sandbox processes never keep the server (or a CLI run) alive; pending work holds a timer.
    child.unref();
    child.channel?.unref();
    const slot: Slot = { child, ready: false, cpuMs: 0 };
    this.slots.add(slot);
    slot.startTimer = setTimeout(() => this.discard(slot, 'start'), this.limits.startMs);
    child.on('message', (m: SandboxMessage) => this.onMessage(slot, m));
    child.on('exit', (code, signal) => this.onExit(slot, code, signal));
    child.on('error', () => this.onExit(slot, null, null));
    return true;
  }

  private onMessage(slot: Slot, m: SandboxMessage): void {
    slot.cpuMs = m.cpuMs;
    if ('ready' in m) {
      clearTimeout(slot.startTimer);
      slot.ready = true;
      this.failedStarts = 0;
      this.idle.push(slot);
      this.pump();
      return;
    }
    const cur = slot.current;
    if (!cur || cur.id !== m.id) return;
    clearTimeout(cur.timer);
    slot.current = undefined;
    this.idle.push(slot);
    const reply = m;
    if (reply.ok) cur.waiting.resolve(reply.value);
    else cur.waiting.reject(new SandboxError(reply.message, reply.code ?? 'EVALUATION'));
    this.pump();
  }

  private dispatch(slot: Slot, waiting: Waiting): void {
    const id = this.nextId++;
    const started = performance.now();
    slot.current = {
      id,
      waiting,
      timer: setTimeout(() => this.checkDeadline(slot, id), this.limits.timeoutMs),
      started,
    };
    try {
      slot.child.send({ id, ...waiting.task } satisfies SandboxTask);
    } catch (err) {
      clearTimeout(slot.current.timer);
      slot.current = undefined;
      this.idle.push(slot);
      waiting.reject(
        new SandboxError(`cannot pass this event to the expression sandbox: ${(err as Error).message}`, 'EVALUATION'),
      );
    }
  }

  /** Stops the evaluation when it used its CPU time or its wall-clock time; else looks again later. */
  private checkDeadline(slot: Slot, id: number): void {
    const cur = slot.current;
    if (!cur || cur.id !== id) return;
    const wall = performance.now() - cur.started;
    const cpu = cpuTimeMs(slot.child.pid);
    const used = cpu === undefined ? wall : cpu - slot.cpuMs;
    // Clock ticks are 10 ms: count a task within one tick of its budget as having used it.
    const over =
      used + 10 >= this.limits.timeoutMs
        ? `exceeded ${this.limits.timeoutMs} ms`
        : wall >= this.limits.wallMs
          ? `took longer than ${this.limits.wallMs} ms`
          : undefined;
    if (!over) {
      cur.timer = setTimeout(
        () => this.checkDeadline(slot, id),
        Math.min(Math.max(this.limits.timeoutMs - used, 20), this.limits.wallMs - wall),
      );
      return;
    }
    this.stopped.time++;
    this.strike(cur.waiting.task.source);
    slot.current = undefined;
    cur.waiting.reject(new SandboxError(`evaluation ${over} and was stopped`, 'TIMEOUT'));
    this.discard(slot, 'timeout');
  }

  private strike(source: string): void {
    if (this.name !== 'clients') return; // the operator's own rules are never refused wholesale
    const s = this.strikes.get(source) ?? { count: 0, until: 0 };
    this.strikes.delete(source);
    s.count++;
    if (s.count >= this.limits.strikes) s.until = Date.now() + this.limits.quarantineMs;
    this.strikes.set(source, s);
    if (this.strikes.size > 1000) this.strikes.delete(this.strikes.keys().next().value as string);
  }

  /** Takes a process out of service and kills it; its exit is then of no interest. */
  private discard(slot: Slot, why: 'timeout' | 'start' | 'closed'): void {
    if (!this.slots.delete(slot)) return;
    clearTimeout(slot.startTimer);
    const i = this.idle.indexOf(slot);
    if (i >= 0) this.idle.splice(i, 1);
    slot.child.kill('SIGKILL');
    if (why === 'start') this.startFailed('a sandbox process did not start in time');
    else if (why === 'timeout') this.replenish();
    else this.pump();
  }

  private onExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.slots.delete(slot)) return; // discarded on purpose
    clearTimeout(slot.startTimer);
    const i = this.idle.indexOf(slot);
    if (i >= 0) this.idle.splice(i, 1);
    const cur = slot.current;
    if (cur) {
      clearTimeout(cur.timer);
      slot.current = undefined;
      this.stopped.memory++;
      this.strike(cur.waiting.task.source);
      const how = signal ? `stopped by ${signal}` : `exit code ${code}`;
      cur.waiting.reject(
        new SandboxError(`evaluation exceeded ${this.limits.memoryMb} MB of memory (sandbox process ${how})`, 'MEMORY'),
      );
    } else if (!slot.ready) {
      this.startFailed(`a sandbox process exited while starting (${signal ?? `exit code ${code}`})`);
      return;
    }
    this.replenish();
  }

  /** A stopped process is replaced before the next evaluation needs it. */
  private replenish(): void {
    if (this.slots.size < this.limits.processes) this.spawn();
    this.pump();
  }

  private startFailed(why: string): void {
    // A process that cannot start will not start on the next try either: refuse what waits, once
    // a few tries failed in a row, instead of spinning.
    if (++this.failedStarts < 3) {
      this.pump();
      return;
    }
    this.failedStarts = 0;
    const waiting = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    for (const w of waiting) w.reject(new SandboxError(why, 'SANDBOX_UNAVAILABLE'));
  }
}

const pools = new Map<Trust, SandboxPool>();

/** The shared pool for expressions of this origin. */
export function sandbox(trust: Trust): SandboxPool {
  let p = pools.get(trust);
  if (!p) {
    p = new SandboxPool(trust);
    pools.set(trust, p);
  }
  return p;
}

/** Stops every pool's processes (graceful shutdown, end of tests). */
export function closeSandboxes(): void {
  for (const p of pools.values()) p.close();
}
