// The Salesforce → warehouse sync (issue 12) against the local emulator: rows/s of a first load into
// DuckDB and into PostgreSQL, and API calls per incremental run of every collection — each beside the
// naive way (REST pages only, one describe per object) measured in the same run.
// `npx tsx bench/sections/source.ts` (BENCH_SOURCE_ROWS=1000000 for the full million; default 100,000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CLIENT, DEFAULT_USER, startEmulator } from '../../src/emulator/emulator.js';
import { openWarehouse } from '../../src/source/open-warehouse.js';
import { parseSyncConfig, type WarehouseConfig } from '../../src/source/source-config.js';
import { runSource, type RunSummary } from '../../src/source/sync-run.js';
import { findPostgresBin, startPostgres } from '../../test/source/postgres-server.js';

const ROWS = Number(process.env.BENCH_SOURCE_ROWS ?? 100_000);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const emulator = await startEmulator();
const host = new URL(emulator.url).host;
// Leads changed over the past day, one every few hundred milliseconds: the shape of a real org's biggest table.
const start = Date.now() - 86_400_000;
for (let i = 0; i < ROWS; i += 10_000) {
  emulator.state.seed(
    'Lead',
    Array.from({ length: Math.min(10_000, ROWS - i) }, (_, j) => {
      const stamp = new Date(start + ((i + j) * 86_000_000) / ROWS).toISOString().replace('Z', '+0000');
      return {
        LastName: `Lead ${i + j}`,
        Company: `Company ${(i + j) % 997}`,
        Email: `lead${i + j}@example.com`,
        AnnualRevenue: (i + j) * 10.5,
        NumberOfEmployees: (i + j) % 5000,
        Status: 'Open',
        CreatedDate: stamp,
        LastModifiedDate: stamp,
        SystemModstamp: stamp,
      };
    }),
  );
}
await new Promise((r) => setTimeout(r, 1100));

const source = (collections?: string[]) =>
  parseSyncConfig(
    'bench.yaml',
    JSON.stringify({
      sources: [
        {
          nickname: 'bench',
          schema: 'sfdc',
          allowedHosts: [host],
          ...(collections ? { collections } : {}),
          credentials: {
            loginUrl: emulator.url,
            username: DEFAULT_USER.username,
            password: DEFAULT_USER.password,
            securityToken: DEFAULT_USER.securityToken,
            clientId: DEFAULT_CLIENT.clientId,
            clientSecret: DEFAULT_CLIENT.clientSecret,
          },
        },
      ],
    }),
  ).sources[0];

const dir = mkdtempSync(join(tmpdir(), 'sfmap-bench-'));
const pg = findPostgresBin() ? await startPostgres() : undefined;
let n = 0;
const fresh = async (kind: 'duckdb' | 'postgres'): Promise<WarehouseConfig> => {
  if (kind === 'duckdb') return { type: 'duckdb', path: join(dir, `w${n++}.duckdb`) };
  const db = `bench${n++}`;
  const w = await openWarehouse({ type: 'postgres', url: pg!.url });
  await (w as unknown as { query(sql: string): Promise<unknown> }).query(`CREATE DATABASE ${db}`);
  await w.close();
  return { type: 'postgres', url: pg!.url.replace(/\/postgres$/, `/${db}`) };
};

async function timed(
  config: WarehouseConfig,
  collections: string[] | undefined,
  naive: boolean,
): Promise<{ run: RunSummary; seconds: number }> {
  const w = await openWarehouse(config);
  const t = performance.now();
  const run = await runSource(source(collections), w, { naive });
  const seconds = (performance.now() - t) / 1000;
  await w.close();
  const failed = run.collections.filter((c) => c.status === 'failed');
  if (run.error || failed.length > 0) throw new Error(run.error ?? failed.map((c) => c.message).join('; '));
  return { run, seconds };
}

const lines: string[] = [];
// The PostgreSQL server and the emulator are stopped even when a measurement fails.
try {
  for (const kind of ['duckdb', 'postgres'] as const) {
    if (kind === 'postgres' && !pg) {
      lines.push('source: PostgreSQL not installed here; its figures are skipped');
      continue;
    }
    const name = kind === 'duckdb' ? 'DuckDB' : 'PostgreSQL';
    const ours = await timed(await fresh(kind), ['leads'], false);
    const naive = await timed(await fresh(kind), ['leads'], true);
    const leads = (r: RunSummary) => r.collections.find((c) => c.collection === 'leads')!;
    lines.push(
      `source: first load of ${fmt(ROWS)} leads into ${name}: ${fmt(ROWS / ours.seconds)} rows/s (${leads(ours.run).via?.join('+')}, ${ours.run.calls} API calls) vs naive REST pages ${fmt(ROWS / naive.seconds)} rows/s (${naive.run.calls} API calls)`,
    );
  }

  // Incremental runs of every collection: first sync everything once, change a few leads, then count.
  const all = await fresh('duckdb');
  await timed(all, undefined, false);
  emulator.state.seed(
    'Lead',
    Array.from({ length: 25 }, (_, i) => ({ LastName: `New ${i}`, Company: 'New Co' })),
  );
  await new Promise((r) => setTimeout(r, 1100));
  const inc = await timed(all, undefined, false);
  const incNaive = await timed(all, undefined, true);
  const synced = inc.run.collections.filter((c) => c.status === 'synced').length;
  lines.push(
    `source: API calls per incremental run of all ${synced} queryable collections: ${inc.run.calls} vs naive ${incNaive.run.calls} (one describe per object)`,
  );
  lines.push('source: figures from one run on a shared, loaded machine: compare the ratios, not the absolute numbers');
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await pg?.stop();
  await emulator.close();
}
