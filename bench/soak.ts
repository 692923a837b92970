// `npx tsx bench/soak.ts` (not CI): SOAK_SECONDS (default 600) of steady /transform and /proxy load
// on one product process against the emulator, with a mapping hot reload every 30 s and every
// access token expired every 60 s. Reports RSS of the product process over the first and the last
// minute (flat = no leak) with the V8 heap beside it (RSS growing over a flat heap is the allocator
// keeping pages, not retained objects), p50/p99 latency per route, and failed requests (must be 0: a
// request fails when the HTTP call fails or an event is not delivered).
// SOAK_HEAP_SNAPSHOTS=<dir>: the product writes a heap snapshot there after the first minute and at
// the end (SIGUSR2; a snapshot follows a full GC, so it holds only what is retained) to compare.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../src/emulator/emulator.js';
import { postProxy, proxyItems, startProduct } from '../test/support/product-process.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const RATE = Number(process.env.SOAK_REQUESTS_PER_SECOND ?? 10); // per route
const BATCH = 10;
/** Requests in flight at most: past it a tick is skipped (and counted), so an overloaded machine measures latency, not an ever-growing queue. */
const MAX_IN_FLIGHT = Number(process.env.SOAK_MAX_IN_FLIGHT ?? 16);

const percentile = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

const mappings = mkdtempSync(join(tmpdir(), 'soak-mappings-'));
cpSync(fileURLToPath(new URL('../mappings/', import.meta.url)), mappings, { recursive: true });
const lead = join(mappings, 'salesforce/lead.yaml');
const original = readFileSync(lead, 'utf8');
const emulator = await startEmulator({ tokenTtlMs: 24 * 3600_000 });
const snapshots = process.env.SOAK_HEAP_SNAPSHOTS;
const product = await startProduct(emulator.url, {
  MAPPINGS_DIR: mappings,
  WATCH_MAPPINGS: 'true',
  ...(snapshots
    ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshots}` }
    : {}),
});
const latency: Record<'transform' | 'proxy', number[]> = { transform: [], proxy: [] };
let failed = 0;
let skipped = 0;
const failures = new Map<string, number>();
const fail = (why: string): void => {
  failed++;
  failures.set(why, (failures.get(why) ?? 0) + 1);
};
let delivered = 0;
let sent = 0;
const rss: Array<{ t: number; mb: number; heapMb: number; heapTotalMb: number; externalMb: number }> = [];
const started = Date.now();
const elapsed = () => (Date.now() - started) / 1000;

const memoryOf = async (): Promise<{ mb: number; heapMb: number; heapTotalMb: number; externalMb: number }> => {
  const text = await (await fetch(`${product.url}/metrics`)).text();
  const mb = (name: string) => Number(new RegExp(`${name} (\\d+)`).exec(text)?.[1] ?? NaN) / 1024 / 1024;
  return {
    mb: mb('sfbridge_process_resident_memory_bytes'),
    heapMb: mb('sfbridge_nodejs_heap_size_used_bytes'),
    heapTotalMb: mb('sfbridge_nodejs_heap_size_total_bytes'),
    externalMb: mb('sfbridge_nodejs_external_memory_bytes'),
  };
};

// Memory probes still in flight when the run ends are awaited before the product stops, so a probe
// is never counted as a failure of the product.
const probes = new Set<Promise<void>>();
const timers = [
  setInterval(() => {
    // A hot reload: the same rules, a changed comment (a real edit that parses).
    writeFileSync(lead, `${original}\n# soak edit ${Date.now()}\n`);
  }, 30_000),
  setInterval(() => emulator.state.expireTokens(), 60_000),
  setInterval(() => {
    const probe = memoryOf()
      .then((m) => void rss.push({ t: elapsed(), ...m }))
      .catch(() => fail('metrics'));
    probes.add(probe);
    void probe.finally(() => probes.delete(probe));
  }, 5_000),
];
if (snapshots) setTimeout(() => product.child.kill('SIGUSR2'), 60_000);

const transformOnce = async (n: number): Promise<void> => {
  const t0 = performance.now();
  try {
    await proxyItems(
      product.url,
      Array.from({ length: BATCH }, (_, i) => `t${n}-${i}@example.com`),
    );
  } catch (err) {
    fail(`transform: ${(err as Error).message.slice(0, 60)}`);
  }
  latency.transform.push(performance.now() - t0);
};

const proxyOnce = async (n: number): Promise<void> => {
  try {
    const items = await proxyItems(
      product.url,
      Array.from({ length: BATCH }, (_, i) => `p${n % 500}-${i}@example.com`),
    );
    const t0 = performance.now();
    const answer = await postProxy(product.url, items);
    latency.proxy.push(performance.now() - t0);
    for (const item of answer.items) {
      if (item.statusCode === 200) delivered++;
      else fail(`proxy event ${item.statusCode} ${item.errorCode ?? ''}`);
    }
  } catch (err) {
    fail(`proxy: ${(err as Error).message.slice(0, 60)}`);
  }
};

const inflight = new Set<Promise<void>>();
let n = 0;
while (elapsed() < SECONDS) {
  const tick = performance.now();
  if (inflight.size >= MAX_IN_FLIGHT) {
    skipped++;
  } else {
    for (const work of [transformOnce(n), proxyOnce(n)]) {
      inflight.add(work);
      void work.finally(() => inflight.delete(work));
    }
    n++;
    sent += 2;
  }
  await new Promise((r) => setTimeout(r, Math.max(0, 1000 / RATE - (performance.now() - tick))));
}
const ended = elapsed();
await Promise.all(inflight);
for (const t of timers) clearInterval(t);
await Promise.all(probes);
if (snapshots) {
  product.child.kill('SIGUSR2');
  // Writing a snapshot of a few hundred MB takes a while on a loaded machine.
  await new Promise((r) => setTimeout(r, 30_000));
}
await product.stop();
await emulator.close();
rmSync(mappings, { recursive: true, force: true });

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const firstMinute = rss.filter((r) => r.t <= 60);
const lastMinute = rss.filter((r) => r.t >= ended - 60);
const first = firstMinute.map((r) => r.mb);
const last = lastMinute.map((r) => r.mb);
const reloads = product.logs.filter((l) => l.message === 'mappings reloaded').length;
console.log(
  `soak: ${SECONDS} s, ${sent} requests (aiming at ${RATE}/s per route, ${BATCH} events each; ${skipped} ticks skipped at ${MAX_IN_FLIGHT} in flight), ${delivered} events delivered`,
);
console.log(
  `  RSS first minute ${avg(first).toFixed(1)} MB, last minute ${avg(last).toFixed(1)} MB (max ${Math.max(...rss.map((r) => r.mb)).toFixed(1)} MB)`,
);
const both = (key: 'heapMb' | 'heapTotalMb' | 'externalMb') =>
  `${avg(firstMinute.map((r) => r[key])).toFixed(1)} → ${avg(lastMinute.map((r) => r[key])).toFixed(1)} MB`;
console.log(
  `  V8 heap used ${both('heapMb')}, heap total ${both('heapTotalMb')}, external ${both('externalMb')} (first → last minute)`,
);
// A run that ends a little past a whole minute has a last bucket with no sample: leave it out rather
// than print the average of nothing (NaN).
const byMinute = Array.from({ length: Math.ceil(ended / 60) }, (_, m) =>
  rss.filter((r) => r.t > m * 60 && r.t <= (m + 1) * 60).map((r) => r.mb),
)
  .filter((minute) => minute.length > 0)
  .map(avg);
console.log(`  RSS by minute: ${byMinute.map((v) => v.toFixed(0)).join(' ')} MB`);
console.log(
  `  /transform p50 ${percentile(latency.transform, 50).toFixed(1)} ms p99 ${percentile(latency.transform, 99).toFixed(1)} ms`,
);
console.log(
  `  /proxy     p50 ${percentile(latency.proxy, 50).toFixed(1)} ms p99 ${percentile(latency.proxy, 99).toFixed(1)} ms`,
);
console.log(
  `  hot reloads seen in the log: ${reloads}; token expiries: ${Math.floor(SECONDS / 60)}; failed requests or events: ${failed}`,
);
for (const [why, count] of failures) console.log(`    ${count} × ${why}`);
process.exit(failed === 0 ? 0 : 1);
