// The server benchmark: what one event costs the SERVER, not the client. Each server runs in its own
// process pinned to core 0 (taskset, when there are ≥ 2 cores); this process (the load client) is
// pinned to core 1. Server CPU is the server process's own CPU time (process.cpuUsage over IPC)
// across the cell, divided by the events it answered; every other server is stopped (SIGSTOP) meanwhile,
// so the measured one has the core to itself. Systems are interleaved round by round and
// each ratio is taken inside one round, so machine noise (other tenants, turbo, GC) mostly cancels:
// the ratios carry across machines, the absolute figures do not.
//
//   BENCH_ROUNDS (5)  BENCH_SECONDS per cell (1.5)  BENCH_CONCURRENCY (4)  BENCH_QUICK=1 (fewer cells)
//   BENCH_BEFORE=<dir>: also serve the build in <dir>/dist (an older commit, built there) and report
//   this build's CPU per event as a ratio to it, in-round.
//   BENCH_RUDDER_TRANSFORMER=<dir>: also serve RudderStack's transformer built in <dir> and measure
//   both on the identify bodies in rudder-server's envelope (bench/rudder-transformer.ts).
import { execFileSync, execSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caseItem, contactItem, groupItem, identifyItem } from './events.js';
import { freePort, load } from './http-load.js';
import {
  leadByIdItem,
  RUDDER_DIR,
  RUDDER_ROUTE,
  rudderAnswerSummary,
  rudderEnvelope,
  rudderVersion,
  startBenchEmulator,
} from './rudder-transformer.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const QUICK = process.env.BENCH_QUICK === '1';
const EXTRA_RULES = 100;
const root = fileURLToPath(new URL('..', import.meta.url));

// ---- pinning --------------------------------------------------------------------------------------
const cores = availableParallelism();
const canPin =
  cores >= 2 &&
  (() => {
    try {
      execFileSync('taskset', ['-V'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
const SERVER_CORE = '0';
const CLIENT_CORE = '1';

// ---- servers --------------------------------------------------------------------------------------
interface Usage {
  cpu: NodeJS.CpuUsage;
  rss: number;
}

class BenchServer {
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(name: string, kind: string, env: NodeJS.ProcessEnv = {}): Promise<BenchServer> {
    const script = fileURLToPath(new URL('./bench-server.mjs', import.meta.url));
    const args = [process.execPath, script, kind];
    const child = spawn(canPin ? 'taskset' : args[0], canPin ? ['-c', SERVER_CORE, ...args] : args.slice(1), {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: { ...process.env, LOG_LEVEL: 'silent', WATCH_MAPPINGS: 'false', ...env },
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
      child.once('exit', (code) => reject(new Error(`${name} server exited with ${code}`)));
    });
    return new BenchServer(name, child, port);
  }

  usage(): Promise<Usage> {
    return new Promise((resolve) => {
      this.child.once('message', (m) => resolve(m as Usage));
      this.child.send('usage');
    });
  }

  /**
   * Servers not being measured are stopped (SIGSTOP), so nothing else runs on the servers' core
   * during a cell: an idle server's timers, a GC finishing after its own cell, or
   * rudder-transformer's background work would otherwise share the core with the one measured.
   */
  pause(): void {
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.child.kill('SIGCONT');
  }

  stop(): void {
    // A stopped process keeps a SIGTERM pending until it runs again.
    this.resume();
    this.child.kill();
  }
}

// ---- what is measured ----------------------------------------------------------------------------
const BODIES = { lead: identifyItem, contact: contactItem, group: groupItem, case: caseItem } as const;
type BodyName = keyof typeof BODIES;
// The same bodies in rudder-server's envelope, for the rudder-transformer comparison. Only identify:
// its Salesforce transform refuses group and track ("message type … is not supported").
const RUDDER_BODIES = {
  'rs-lead': {
    item: identifyItem,
    definition: 'SALESFORCE_OAUTH',
    title: 'Lead upsert identify (Lead looked up by email)',
  },
  'rs-lead-id': {
    item: leadByIdItem,
    definition: 'SALESFORCE',
    title: 'Lead upsert identify, Lead Id given (no lookup)',
  },
  'rs-contact': { item: contactItem, definition: 'SALESFORCE', title: 'Contact by externalId (no lookup)' },
} as const;
type RudderBodyName = keyof typeof RUDDER_BODIES;
const BODY_TITLES: Record<BodyName, string> = {
  lead: 'Lead upsert identify',
  contact: 'Contact by externalId',
  group: 'group → Account',
  case: 'track → Case',
};

interface Cell {
  system: string;
  server: BenchServer;
  path: string;
  body: BodyName | RudderBodyName;
  size: number;
}

interface Sample {
  cpuPerEvent: number;
  eps: number;
  p50: number;
  p99: number;
  rss: number;
  errors: number;
}

const bodyCache = new Map<string, string>();
function bodyOf(name: BodyName | RudderBodyName, size: number): string {
  const key = `${name}/${size}`;
  let b = bodyCache.get(key);
  if (!b) {
    const item = (i: number) =>
      name in RUDDER_BODIES
        ? rudderEnvelope(
            RUDDER_BODIES[name as RudderBodyName].item(i),
            emulator!.secret,
            RUDDER_BODIES[name as RudderBodyName].definition,
          )
        : BODIES[name as BodyName](i);
    b = JSON.stringify(Array.from({ length: size }, (_, i) => item(i)));
    bodyCache.set(key, b);
  }
  return b;
}

async function measure(cell: Cell, seconds: number): Promise<Sample> {
  const body = bodyOf(cell.body, cell.size);
  cell.server.resume();
  const before = await cell.server.usage();
  const r = await load(cell.server.port, cell.path, body, seconds, CONCURRENCY);
  const after = await cell.server.usage();
  cell.server.pause();
  const cpuUs = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
  const events = r.requests * cell.size;
  return {
    cpuPerEvent: cpuUs / Math.max(1, events),
    eps: events / r.seconds,
    p50: r.p50,
    p99: r.p99,
    rss: after.rss,
    errors: r.errors,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(0)}%`;

/** Rules that every identify considers and none fires for: same type, a trait equality that is false. */
function extraRule(i: number): string {
  return `name: extra-identify-${i}
when: type = "identify" and $traits.plan = "plan-${i}"
object: Lead
operation: update
match:
  Email: $traits.email
fields:
  Title: $traits.title
  Description: "'plan ' & $traits.plan"
`;
}

async function answerBytes(
  server: BenchServer,
  path: string,
  body: string,
): Promise<{ bytes: number; ok: number; total: number }> {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  const items = JSON.parse(text) as { statusCode: number }[];
  return { bytes: Buffer.byteLength(text), ok: items.filter((i) => i.statusCode === 200).length, total: items.length };
}

// ---- the run ---------------------------------------------------------------------------------------
// Measure what `npm start` runs: the compiled server, not the TypeScript loader.
execSync('npm run build --silent', { stdio: 'inherit', cwd: root });
if (canPin) execFileSync('taskset', ['-a', '-cp', CLIENT_CORE, String(process.pid)], { stdio: 'ignore' });

const rulesDir = mkdtempSync(join(tmpdir(), 'bench-rules-'));
cpSync(join(root, 'mappings'), rulesDir, { recursive: true });
for (let i = 0; i < EXTRA_RULES; i++)
  writeFileSync(join(rulesDir, 'salesforce', `extra-identify-${String(i).padStart(3, '0')}.yaml`), extraRule(i));

const servers = {
  nodeEcho: await BenchServer.start('node-echo', 'node-echo'),
  expressEcho: await BenchServer.start('express-echo', 'express-echo'),
  transform: await BenchServer.start('transform', 'transform'),
  // The rule-count pair: two servers with the very same workload (only this cell), one with the
  // extra rules — a server that also serves other bodies has a different heap and JIT state.
  transformShipped: await BenchServer.start('transform (lead only)', 'transform'),
  transformRules: await BenchServer.start('transform+100', 'transform', { MAPPINGS_DIR: rulesDir }),
};

const BEFORE = process.env.BENCH_BEFORE;
const before = BEFORE
  ? await BenchServer.start('transform (before)', 'transform', {
      BENCH_APP_DIST: join(BEFORE, 'dist'),
      MAPPINGS_DIR: join(BEFORE, 'mappings'),
    })
  : undefined;
const FULL = '/transform?answer=full';
const cells: Cell[] = [];
const bodyNames = Object.keys(BODIES) as BodyName[];
for (const body of bodyNames) {
  cells.push({ system: 'node-echo', server: servers.nodeEcho, path: '/transform', body, size: 100 });
  cells.push({ system: 'express-echo', server: servers.expressEcho, path: '/transform', body, size: 100 });
  cells.push({ system: 'transform', server: servers.transform, path: '/transform', body, size: 100 });
  if (!QUICK || body === 'lead')
    cells.push({ system: 'transform (old shape)', server: servers.transform, path: FULL, body, size: 100 });
}
for (const size of QUICK ? [1000] : [10, 1000]) {
  cells.push({ system: 'node-echo', server: servers.nodeEcho, path: '/transform', body: 'lead', size });
  cells.push({ system: 'express-echo', server: servers.expressEcho, path: '/transform', body: 'lead', size });
  cells.push({ system: 'transform', server: servers.transform, path: '/transform', body: 'lead', size });
}
cells.push({
  system: 'transform, shipped rules',
  server: servers.transformShipped,
  path: '/transform',
  body: 'lead',
  size: 100,
});
cells.push({
  system: `transform +${EXTRA_RULES} rules`,
  server: servers.transformRules,
  path: '/transform',
  body: 'lead',
  size: 100,
});
if (before)
  for (const body of ['lead', 'contact'] as const)
    cells.push({ system: 'transform (before)', server: before, path: '/transform', body, size: 100 });
// rudder-transformer and this product on the same envelope: its v0 route, and ours (direct mode, its
// lookups batched) plus /transform, all served by processes pinned like the others; the emulator
// that answers both systems' lookups runs on the client's core.
const RUDDER_SYSTEMS = {
  rudder: 'rudder-transformer',
  v0: 'ours /v0/destinations',
  transform: 'ours /transform',
} as const;
const emulator = RUDDER_DIR ? await startBenchEmulator(canPin ? ['-c', CLIENT_CORE] : []) : undefined;
const rudder =
  RUDDER_DIR && emulator
    ? {
        server: await BenchServer.start('rudder-transformer', 'rudder-transformer', {
          ...emulator.env,
          BENCH_RUDDER_TRANSFORMER: RUDDER_DIR,
          BENCH_RUDDER_PORT: String(await freePort()),
        }),
        ours: await BenchServer.start('transform (envelope)', 'transform', {
          ...emulator.env,
          ALLOWED_SALESFORCE_HOSTS: emulator.secureHost,
        }),
      }
    : undefined;
if (rudder) {
  for (const body of Object.keys(RUDDER_BODIES) as RudderBodyName[]) {
    cells.push({ system: 'node-echo', server: servers.nodeEcho, path: '/transform', body, size: 100 });
    cells.push({ system: 'express-echo', server: servers.expressEcho, path: '/transform', body, size: 100 });
    cells.push({ system: RUDDER_SYSTEMS.rudder, server: rudder.server, path: RUDDER_ROUTE, body, size: 100 });
    cells.push({ system: RUDDER_SYSTEMS.v0, server: rudder.ours, path: RUDDER_ROUTE, body, size: 100 });
    cells.push({ system: RUDDER_SYSTEMS.transform, server: rudder.ours, path: '/transform', body, size: 100 });
  }
}
const keyOf = (c: { system: string; body: string; size: number }) => `${c.system}|${c.body}|${c.size}`;

console.log(
  `Server benchmark: ${cores} cores, ${canPin ? `servers pinned to core ${SERVER_CORE}, client to core ${CLIENT_CORE}` : 'NOT pinned (needs taskset and ≥ 2 cores)'}; ` +
    `${ROUNDS} interleaved rounds × ${cells.length} cells × ${SECONDS}s, ${CONCURRENCY} concurrent keep-alive clients; load average ${(
      await import('node:os')
    )
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
);

// Every body maps (no 298/400 hiding as speed) and what the answers weigh.
console.log('\nBodies (bytes per event):');
for (const body of bodyNames) {
  const req = bodyOf(body, 100);
  const now = await answerBytes(servers.transform, '/transform', req);
  const old = await answerBytes(servers.transform, FULL, req);
  if (now.ok !== now.total)
    console.log(`  WARNING: ${body}: only ${now.ok}/${now.total} events mapped with status 200`);
  console.log(
    `  ${BODY_TITLES[body].padEnd(24)} request ${int(req.length / 100).padStart(5)}   answer ${int(now.bytes / 100).padStart(5)}   old-shape answer ${int(old.bytes / 100).padStart(5)}`,
  );
}

if (rudder && emulator) {
  // A real answer from each system before anything is timed: every event 200, a Salesforce request.
  console.log(
    `\n${rudderVersion(RUDDER_DIR!)} (${RUDDER_DIR}) and this product on rudder-server's envelope (POST ${RUDDER_ROUTE}, ` +
      `metadata.secret → the emulator at https://${emulator.secureHost}; DestinationDefinition SALESFORCE_OAUTH for the lookup body, SALESFORCE for the others):`,
  );
  for (const body of Object.keys(RUDDER_BODIES) as RudderBodyName[]) {
    for (const [system, server] of [
      [RUDDER_SYSTEMS.rudder, rudder.server],
      [RUDDER_SYSTEMS.v0, rudder.ours],
    ] as const) {
      const calls = await emulator.apiCalls();
      const res = await fetch(`http://127.0.0.1:${server.port}${RUDDER_ROUTE}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodyOf(body, 100),
      });
      const sum = rudderAnswerSummary(await res.text());
      const lookups = (await emulator.apiCalls()) - calls;
      console.log(
        `  ${body.padEnd(11)}${system.padEnd(24)} HTTP ${res.status}, ${sum.statuses}, ${lookups} Salesforce calls for 100 events; first: ${sum.first}`,
      );
      if (res.status !== 200 || sum.ok !== sum.total)
        console.log(
          `  WARNING: ${system} did not answer every ${body} event with 200: its figures below are not comparable`,
        );
    }
    const t = await answerBytes(rudder.ours, '/transform', bodyOf(body, 100));
    console.log(
      `  ${body.padEnd(11)}${RUDDER_SYSTEMS.transform.padEnd(24)} ${t.ok}/${t.total} events 200 (operations, no calls)`,
    );
  }
}

const samples = new Map<string, Sample[]>();
const ratios = new Map<string, { express: number[]; node: number[] }>();
try {
  for (const c of cells) c.server.pause();
  for (const c of cells) await measure(c, Math.min(0.5, SECONDS)); // warm-up: JIT, compiled mappings, caches
  for (let round = 0; round < ROUNDS; round++) {
    const inRound = new Map<string, Sample>();
    // Rotate the order each round so no system always runs first (or right after the same neighbour).
    const order = cells.map((_, i) => cells[(i + round * 3) % cells.length]);
    for (const c of order) {
      const s = await measure(c, SECONDS);
      inRound.set(keyOf(c), s);
      const list = samples.get(keyOf(c)) ?? [];
      list.push(s);
      samples.set(keyOf(c), list);
    }
    for (const c of cells) {
      const s = inRound.get(keyOf(c))!;
      const ex = inRound.get(keyOf({ system: 'express-echo', body: c.body, size: c.size }))!;
      const ne = inRound.get(keyOf({ system: 'node-echo', body: c.body, size: c.size }))!;
      const r = ratios.get(keyOf(c)) ?? { express: [], node: [] };
      r.express.push(s.cpuPerEvent / ex.cpuPerEvent);
      r.node.push(s.cpuPerEvent / ne.cpuPerEvent);
      ratios.set(keyOf(c), r);
    }
    process.stdout.write(`  round ${round + 1}/${ROUNDS} done\n`);
  }

  console.log(
    '\nServer CPU per event (median of rounds), events/s, latency per request, and in-round ratios to the echoes:',
  );
  console.log(
    `  ${'system'.padEnd(26)}${'body'.padEnd(10)}${'ev/req'.padStart(7)}${'µs/event'.padStart(10)}${'events/s'.padStart(10)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'RSS MB'.padStart(8)}   ÷ express echo (range)   ÷ node echo`,
  );
  for (const c of cells) {
    const s = samples.get(keyOf(c))!;
    const r = ratios.get(keyOf(c))!;
    const errors = s.reduce((a, x) => a + x.errors, 0);
    console.log(
      `  ${c.system.padEnd(26)}${c.body.padEnd(10)}${String(c.size).padStart(7)}${median(s.map((x) => x.cpuPerEvent))
        .toFixed(1)
        .padStart(10)}` +
        `${int(median(s.map((x) => x.eps))).padStart(10)}${median(s.map((x) => x.p50))
          .toFixed(1)
          .padStart(8)}${median(s.map((x) => x.p99))
          .toFixed(1)
          .padStart(8)}` +
        `${(Math.max(...s.map((x) => x.rss)) / 2 ** 20).toFixed(0).padStart(8)}   ${median(r.express).toFixed(2).padStart(5)} (${range(r.express)})   ${median(r.node).toFixed(2).padStart(5)}` +
        (errors ? `   ${errors} ERRORS` : ''),
    );
  }

  // The issue's targets, each from ratios inside one round.
  const exRatio = (system: string, body: BodyName) => ratios.get(keyOf({ system, body, size: 100 }))!.express;
  const lead = exRatio('transform', 'lead');
  const contact = exRatio('transform', 'contact');
  const base = samples.get(keyOf({ system: 'transform, shipped rules', body: 'lead', size: 100 }))!;
  const many = samples.get(keyOf({ system: `transform +${EXTRA_RULES} rules`, body: 'lead', size: 100 }))!;
  const extra = many.map((m, i) => m.cpuPerEvent / base[i].cpuPerEvent - 1);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log('\nTargets (issue 14):');
  console.log(
    `  Lead upsert, 100/request: ${median(lead).toFixed(2)}× the Express echo's CPU per event (${range(lead)}); target ≤ 2.0 — ${verdict(median(lead) <= 2)}`,
  );
  console.log(
    `  Contact by externalId:    ${median(contact).toFixed(2)}× (${range(contact)}); target ≤ 1.6 — ${verdict(median(contact) <= 1.6)}`,
  );
  console.log(
    `  ${EXTRA_RULES} candidate identify rules whose when is false: ${pct(median(extra))} per event (${pct(Math.min(...extra))}…${pct(Math.max(...extra))}); target ≤ +20% — ${verdict(median(extra) <= 0.2)}`,
  );
  if (before) {
    for (const body of ['lead', 'contact'] as const) {
      const now = samples.get(keyOf({ system: 'transform', body, size: 100 }))!;
      const then = samples.get(keyOf({ system: 'transform (before)', body, size: 100 }))!;
      const r = now.map((s, i) => s.cpuPerEvent / then[i].cpuPerEvent);
      console.log(
        `  ${BODY_TITLES[body]} vs the build in ${BEFORE}: ${median(r).toFixed(2)}× its CPU per event (${range(r)})`,
      );
      // The issue measured the build before this work at 0.85× RudderStack's CPU per event (Lead body).
      if (body === 'lead')
        console.log(
          `    so, if that build is the issue's: ≈ ${(1 / (median(r) * 0.85)).toFixed(1)}× RudderStack's events/s per core`,
        );
    }
  }
  // RudderStack's transformer was measured with this harness's method when the issue was filed: the
  // product then cost 3.4–4.0× the Express echo and 0.85× RudderStack, so RudderStack costs ≈ 4.3–5.1×
  // the echo per event on the Lead body. CPU per event is events/s per core, so the ratio carries.
  const rudderLow = 3.4 / 0.85;
  const rudderHigh = 4.0 / 0.85;
  const lm = median(lead);
  if (!rudder)
    console.log(
      `  vs RudderStack (≈ ${rudderLow.toFixed(1)}–${rudderHigh.toFixed(1)}× the echo per event, from the issue's side-by-side run): ` +
        `≈ ${(rudderLow / lm).toFixed(1)}–${(rudderHigh / lm).toFixed(1)}× its events/s per core; target ≥ 2 — ${verdict(rudderLow / lm >= 2)} (estimate; BENCH_RUDDER_TRANSFORMER measures it)`,
    );
  if (rudder) reportRudder(samples, verdict);
} finally {
  for (const s of Object.values(servers)) s.stop();
  before?.stop();
  rudder?.server.stop();
  rudder?.ours.stop();
  emulator?.stop();
  rmSync(rulesDir, { recursive: true, force: true });
}

/**
 * The issue's target "≥ 2× RudderStack's events/s on the same body", measured: per body, each system's
 * events/s and CPU per event, and ours ÷ rudder-transformer inside each round (median and range).
 * events/s is what each pinned server delivered to the closed-loop clients (it includes waiting for
 * the emulator's lookups, and on a loaded machine the share of its core it was given); per core is
 * the inverse ratio of server CPU per event: the events/s ratio of two servers that each saturate one
 * core. Both are judged against the target.
 */
function reportRudder(samples: Map<string, Sample[]>, verdict: (ok: boolean) => string): void {
  console.log(
    `\nvs RudderStack's transformer (${rudderVersion(RUDDER_DIR!)}), same bodies in rudder-server's envelope, 100 events/request, in-round ratios ours ÷ theirs:`,
  );
  const rows: { title: string; eps: number[]; perCore: number[] }[] = [];
  for (const body of Object.keys(RUDDER_BODIES) as RudderBodyName[]) {
    const of = (system: string) => samples.get(keyOf({ system, body, size: 100 }))!;
    const theirs = of(RUDDER_SYSTEMS.rudder);
    const title = RUDDER_BODIES[body].title;
    console.log(
      `  ${title}: rudder-transformer ${int(median(theirs.map((s) => s.eps)))} events/s, ${median(theirs.map((s) => s.cpuPerEvent)).toFixed(1)} µs/event`,
    );
    for (const system of [RUDDER_SYSTEMS.v0, RUDDER_SYSTEMS.transform]) {
      const ours = of(system);
      const eps = ours.map((s, i) => s.eps / theirs[i].eps);
      const perCore = ours.map((s, i) => theirs[i].cpuPerEvent / s.cpuPerEvent);
      console.log(
        `    ${system.padEnd(24)} ${int(median(ours.map((s) => s.eps))).padStart(7)} events/s ${median(
          ours.map((s) => s.cpuPerEvent),
        )
          .toFixed(1)
          .padStart(6)} µs/event   ` +
          `events/s ${median(eps).toFixed(2)}× (${range(eps)})   per core ${median(perCore).toFixed(2)}× (${range(perCore)})`,
      );
      rows.push({ title: `${title}, ${system}`, eps, perCore });
    }
  }
  console.log("  Target (issue 14): ≥ 2× RudderStack's events/s on the same body");
  for (const r of rows) {
    console.log(
      `    ${r.title}: events/s ${median(r.eps).toFixed(2)}× (${range(r.eps)}) — ${verdict(median(r.eps) >= 2)}; ` +
        `per core ${median(r.perCore).toFixed(2)}× (${range(r.perCore)}) — ${verdict(median(r.perCore) >= 2)}`,
    );
  }
}

// ---- every core ------------------------------------------------------------------------------------
// `npm start` itself (dist/server/main.js) with WORKERS=1 and WORKERS=2, interleaved. With ≥ 3 cores
// the client gets a core of its own (the last) and the server the others. On 2 cores the client has
// no core of its own: server and client share both, and the line reports the client's own CPU share
// beside the figure. At 100 events per request the client's work per request (post a prepared body,
// discard the answer) is a few % of the server's, so the 2-worker figure still shows what the second
// worker adds, less what the client took.
async function startMain(workers: number, serverCores: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const args = [process.execPath, join(root, 'dist/server/main.js')];
  const child = spawn('taskset', ['-c', serverCores, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, WORKERS: String(workers), PORT: String(port), LOG_LEVEL: 'silent', WATCH_MAPPINGS: 'false' },
  });
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      const h = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { workers?: { running: number } };
      if ((h.workers?.running ?? 1) >= workers) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`npm start with WORKERS=${workers} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, child };
}

if (canPin) {
  const own = cores >= 3;
  const serverCores = own ? `0-${cores - 2}` : `0-${cores - 1}`;
  const clientCores = own ? String(cores - 1) : `0-${cores - 1}`;
  execFileSync('taskset', ['-a', '-cp', clientCores, String(process.pid)], { stdio: 'ignore' });
  const clusterRuns = new Map<number, { eps: number; clientShare: number }[]>();
  const mains = [await startMain(1, serverCores), await startMain(2, serverCores)];
  try {
    const body = bodyOf('lead', 100);
    for (const m of mains) await load(m.port, '/transform', body, 0.5, 8);
    for (let round = 0; round < Math.max(2, Math.ceil(ROUNDS / 2)); round++) {
      for (const [i, m] of mains.entries()) {
        const cpu0 = process.cpuUsage();
        const r = await load(m.port, '/transform', body, SECONDS, 8);
        const cpu = process.cpuUsage(cpu0);
        const list = clusterRuns.get(i + 1) ?? [];
        // The client's CPU over the wall time of all cores: the share of the machine it took.
        list.push({
          eps: (r.requests * 100) / r.seconds,
          clientShare: (cpu.user + cpu.system) / 1e6 / r.seconds / cores,
        });
        clusterRuns.set(i + 1, list);
      }
    }
  } finally {
    for (const m of mains) m.child.kill('SIGTERM');
  }
  const one = median(clusterRuns.get(1)!.map((x) => x.eps));
  const two = median(clusterRuns.get(2)!.map((x) => x.eps));
  const share = (w: number) => `${(median(clusterRuns.get(w)!.map((x) => x.clientShare)) * 100).toFixed(0)}%`;
  console.log(
    `\nEvery core (npm start, Lead body 100/request, 8 clients; server on cores ${serverCores}, client on ${own ? `core ${clientCores}` : 'the same cores'}):`,
  );
  console.log(`  WORKERS=1  ${int(one)} events/s   (the client took ${share(1)} of the machine's CPU)`);
  console.log(`  WORKERS=2  ${int(two)} events/s  (${(two / one).toFixed(2)}×; the client took ${share(2)})`);
} else {
  console.log('\nEvery core: not measured (needs taskset and ≥ 2 cores).');
}
