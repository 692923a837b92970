// What a person and a machine see of a run: a progress bar per collection on a terminal, then a
// table (collection, rows upserted, deleted, API calls, seconds), and one JSON line per run.
import cliProgress from 'cli-progress';
import type { Collection } from './collections.js';
import type { CollectionSummary, RunHooks, RunSummary } from './sync-run.js';

/** Progress bars on `stream` when it is a terminal; nothing otherwise (logs stay clean). */
export function progressHooks(stream: NodeJS.WriteStream = process.stderr): RunHooks & { stop(): void } {
  if (!stream.isTTY) return { stop: () => undefined };
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: ' {collection} |{bar}| {value}/{total} rows',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const open = new Map<string, cliProgress.SingleBar>();
  return {
    onCollectionStart: (c: Collection) => {
      open.set(c.name, bars.create(1, 0, { collection: c.name.padEnd(32) }));
    },
    onProgress: (c: Collection, written: number, total?: number) => {
      const bar = open.get(c.name);
      if (!bar) return;
      if (total !== undefined) bar.setTotal(Math.max(total, written, 1));
      bar.update(written);
    },
    onCollectionEnd: (s: CollectionSummary) => {
      const bar = open.get(s.collection);
      if (bar) {
        bar.setTotal(Math.max(s.upserted, 1));
        bar.update(s.upserted);
      }
    },
    stop: () => bars.stop(),
  };
}

export function summaryTable(run: RunSummary): string {
  const header = ['collection', 'status', 'upserted', 'deleted', 'API calls', 'seconds'];
  const rows = run.collections.map((c) => [
    c.collection,
    c.status,
    String(c.upserted),
    String(c.deleted),
    String(c.calls),
    c.seconds.toFixed(2),
  ]);
  const total = [
    'total',
    '',
    String(sum(run.collections, 'upserted')),
    String(sum(run.collections, 'deleted')),
    String(run.calls),
    run.seconds.toFixed(2),
  ];
  const all = [header, ...rows, total];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => (i >= 2 ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [
    `${run.source} → ${run.schema} (${run.warehouse}), started ${run.startedAt}`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    widths.map((w) => '-'.repeat(w)).join('  '),
    line(total),
  ];
  if (run.apiUsage) out.push(`API usage of the org today: ${run.apiUsage.used}/${run.apiUsage.max}`);
  if (run.stopped) out.push(`STOPPED: ${run.stopped}`);
  if (run.error) out.push(`ERROR: ${run.error}`);
  for (const c of run.collections) {
    if (c.message && c.status !== 'not run')
      out.push(
        `${c.status === 'failed' ? 'failed' : 'note'}: ${c.message.startsWith(c.collection) ? c.message : `${c.collection}: ${c.message}`}`,
      );
    for (const n of c.notices) out.push(`notice: ${c.collection}: ${n}`);
    if (c.addedColumns && c.addedColumns.length > 0)
      out.push(`new columns: ${c.collection}: ${c.addedColumns.join(', ')}`);
  }
  return out.join('\n');
}

/** The run as one JSON line, for log collectors. */
export function runLogLine(run: RunSummary): string {
  return `${JSON.stringify({ level: run.error || run.collections.some((c) => c.status === 'failed') ? 'error' : 'info', message: 'source sync run', ...run })}`;
}

function sum(list: CollectionSummary[], key: 'upserted' | 'deleted'): number {
  return list.reduce((n, c) => n + c[key], 0);
}
