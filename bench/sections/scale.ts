// Beyond one process: delivered events/s through POST /proxy with 1 and with 3 product processes
// (sharing Redis: one token cache, one API budget), against the emulator in its own process, and
// the token requests and Salesforce API calls each used (the emulator's counters). On a 2-core
// machine shared with the load generator and the emulator, 3 processes cannot be 3× faster: the
// figures show what sharing costs and that logins and API calls do not grow with the process count.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startRedis } from '../../test/support/redis-server.js';
import { freePort } from '../../test/support/free-port.js';
import { postProxy, proxyItems, startProduct, type ProductProcess } from '../../test/support/product-process.js';

const EVENTS = Number(process.env.BENCH_SCALE_EVENTS ?? 6000);
const BATCH = 100;
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 6);

async function startEmulatorProcess(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../../src/emulator/main.ts', import.meta.url))],
    {
      env: { ...process.env, EMULATOR_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => String(d).includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function stats(emulator: string): Promise<{ apiCalls: number; tokenRequests: number }> {
  return (await (await fetch(`${emulator}/__emulator/stats`)).json()) as { apiCalls: number; tokenRequests: number };
}

async function run(processes: number, emulator: string, redisUrl: string, tag: string): Promise<string> {
  const products: ProductProcess[] = await Promise.all(
    Array.from({ length: processes }, () => startProduct(emulator, { REDIS_URL: redisUrl })),
  );
  try {
    // Mapping is not what is measured: the /proxy input is prepared first.
    const batches: unknown[][] = [];
    for (let from = 0; from < EVENTS; from += BATCH) {
      batches.push(
        await proxyItems(
          products[0].url,
          Array.from({ length: BATCH }, (_, i) => `${tag}${from + i}@example.com`),
        ),
      );
    }
    await fetch(`${emulator}/__emulator/stats`, { method: 'DELETE' });
    let next = 0;
    let delivered = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        while (next < batches.length) {
          const i = next++;
          const answer = await postProxy(products[(i + worker) % processes].url, batches[i]);
          for (const item of answer.items) {
            if (item.statusCode === 200) delivered++;
            else failed++;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const s = await stats(emulator);
    return (
      `${processes} process${processes > 1 ? 'es' : ''}: ${Math.round(delivered / seconds)
        .toLocaleString('en-US')
        .padStart(6)} events/s delivered (${delivered} in ${seconds.toFixed(1)} s, ${failed} not delivered), ` +
      `${s.tokenRequests} token request${s.tokenRequests === 1 ? '' : 's'}, ${s.apiCalls} API calls (${((s.apiCalls / delivered) * 1000).toFixed(1)} per 1,000 events)`
    );
  } finally {
    await Promise.all(products.map((p) => p.stop()));
  }
}

const redis = await startRedis();
const emulator = await startEmulatorProcess();
try {
  console.log(
    `scale: ${EVENTS} identify events in /proxy batches of ${BATCH}, ${CONCURRENCY} concurrent clients, Redis-shared state`,
  );
  console.log(`  ${await run(1, emulator.url, redis.url, 'one')}`);
  await redis.restart(); // each run starts with no cached session
  console.log(`  ${await run(3, emulator.url, redis.url, 'three')}`);
} finally {
  emulator.child.kill();
  await redis.stop();
}
