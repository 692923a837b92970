// The server benchmark: /transform throughput against an Express echo baseline measured in the same
// run (ratios, not absolute numbers, are what carry across machines).
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { identifyItem } from './events.js';
import { load, type LoadResult } from './http-load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const EVENTS_PER_REQUEST = 100;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function startChild(kind: 'echo' | 'transform'): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./server-child.mjs', import.meta.url)), kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'silent', WATCH_MAPPINGS: 'false' },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { port, child };
}

async function measure(kind: 'echo' | 'transform', body: string): Promise<LoadResult> {
  const { port, child } = await startChild(kind);
  try {
    await load(port, '/transform', body, 1, CONCURRENCY); // warm-up: JIT, compiled mappings
    return await load(port, '/transform', body, SECONDS, CONCURRENCY);
  } finally {
    child.kill();
  }
}

const fmt = (r: LoadResult) => {
  const eps = (r.requests * EVENTS_PER_REQUEST) / r.seconds;
  return { eps, line: `${Math.round(eps).toLocaleString('en-US').padStart(8)} events/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${r.requests} requests, ${r.errors} errors)` };
};

// Measure what `npm start` runs: the compiled server, not the TypeScript loader.
execSync('npm run build --silent', { stdio: 'inherit', cwd: fileURLToPath(new URL('..', import.meta.url)) });
const body = JSON.stringify(Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => identifyItem(i)));
console.log(`POST /transform: ${EVENTS_PER_REQUEST} identify events per request (${(body.length / 1024).toFixed(0)} KiB), ${CONCURRENCY} concurrent clients, ${SECONDS}s each`);
const echo = fmt(await measure('echo', body));
console.log(`  express echo baseline  ${echo.line}`);
const transform = fmt(await measure('transform', body));
console.log(`  /transform             ${transform.line}`);
console.log(`  ratio /transform ÷ echo: ${(transform.eps / echo.eps).toFixed(2)} (target ≥ 0.50)`);
// The answer is larger than the question: each operation carries its fields, plus the update and
// create request bodies of its http descriptors (CONTRACT.md). Shown so the ratio can be read fairly.
{
  const { MappingStore } = await import('../src/mapping/mapping-store.js');
  const { transformItems } = await import('../src/mapping/transform.js');
  const store = new MappingStore();
  store.load();
  const answer = JSON.stringify(await transformItems(JSON.parse(body) as unknown[], store.current));
  console.log(`  bytes per event: request ${Math.round(body.length / EVENTS_PER_REQUEST)}, /transform answer ${Math.round(answer.length / EVENTS_PER_REQUEST)}, echo answer ${Math.round(body.length / EVENTS_PER_REQUEST)}`);
}

