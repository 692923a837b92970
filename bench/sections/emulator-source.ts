// The emulator as a source org: how fast the seeded generator fills it, what a row costs in heap,
// and how fast the org answers a full read through REST queryAll pages and Bulk 2.0 result pages
// over HTTP — the ceiling the source sync's own figures sit under.
// `npx tsx bench/sections/emulator-source.ts` (BENCH_SOURCE_ROWS=1000000 for the full size).
import { startEmulator } from '../../src/emulator/emulator.js';

const ROWS = Number(process.env.BENCH_SOURCE_ROWS ?? 200_000);
const V = '/services/data/v66.0';

async function main(): Promise<string[]> {
  const lines = [
    'emulator as a source org (one process; figures are noisy on a loaded machine, compare ratios within one run)',
  ];
  const emulator = await startEmulator();
  try {
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const report = emulator.state.generate({ rows: ROWS, seed: 1 });
    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    lines.push(
      `  generate: ${report.rows} rows in ${Object.keys(report.counts).length} objects, ${report.ms} ms = ${Math.round(report.rows / (report.ms / 1000))} rows/s; ` +
        `heap +${Math.round((heapAfter - heapBefore) / 1e6)} MB (${Math.round((heapAfter - heapBefore) / report.rows)} B/row${global.gc ? '' : ', without --expose-gc'})`,
    );

    const token = emulator.state.issueToken().access_token;
    const get = async (path: string, headers: Record<string, string> = {}): Promise<Response> => {
      const res = await fetch(emulator.url + path, { headers: { Authorization: `Bearer ${token}`, ...headers } });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res;
    };
    const object = 'Task';
    const fields =
      'Id, WhoId, WhatId, Subject, ActivityDate, Status, Priority, OwnerId, Description, IsDeleted, SystemModstamp';

    let started = performance.now();
    let rest = 0;
    let pages = 0;
    let next: string | undefined =
      `${V}/queryAll?q=${encodeURIComponent(`SELECT ${fields} FROM ${object} ORDER BY SystemModstamp`)}`;
    while (next) {
      const page = (await (await get(next)).json()) as { records: unknown[]; nextRecordsUrl?: string };
      rest += page.records.length;
      pages++;
      next = page.nextRecordsUrl;
    }
    let seconds = (performance.now() - started) / 1000;
    lines.push(
      `  REST queryAll of ${object}: ${rest} rows in ${pages} pages, ${seconds.toFixed(2)} s = ${Math.round(rest / seconds)} rows/s`,
    );

    started = performance.now();
    const created = await fetch(`${emulator.url}${V}/jobs/query`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ operation: 'queryAll', query: `SELECT ${fields} FROM ${object}` }),
    });
    const job = (await created.json()) as { id: string };
    while (((await (await get(`${V}/jobs/query/${job.id}`)).json()) as { state: string }).state !== 'JobComplete');
    let bulk = 0;
    let locator: string | null = '';
    let bytes = 0;
    while (locator !== null) {
      const res = await get(
        `${V}/jobs/query/${job.id}/results?maxRecords=50000${locator ? `&locator=${locator}` : ''}`,
      );
      bytes += (await res.text()).length;
      bulk += Number(res.headers.get('sforce-numberofrecords'));
      const l = res.headers.get('sforce-locator');
      locator = l === 'null' ? null : l;
    }
    seconds = (performance.now() - started) / 1000;
    lines.push(
      `  Bulk 2.0 queryAll of ${object}: ${bulk} rows, ${Math.round(bytes / 1e6)} MB of CSV, ${seconds.toFixed(2)} s = ${Math.round(bulk / seconds)} rows/s`,
    );
  } finally {
    await emulator.close();
  }
  return lines;
}

for (const line of await main()) console.log(line);
