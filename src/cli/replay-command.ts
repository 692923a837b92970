// `sfmap replay events.ndjson --to URL`: push a file of events through a running server's
// /transform (and /proxy with the 200 results), in batches, concurrently, with progress and a
// summary by status. A malformed line is reported with its number and skipped; the run goes on.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import cliProgress from 'cli-progress';
import type { Json, JsonObject, TransformItem } from '../mapping/event.js';
import { readConfig, toItem } from './event-input.js';
import type { Io } from './io.js';

export interface ReplayOptions {
  file: string;
  to: string;
  batch: number;
  concurrency: number;
  proxy?: boolean;
  config?: string;
  /** Milliseconds between progress lines when stdout is not a terminal. */
  progressEveryMs?: number;
  timeoutMs?: number;
}

interface Batch {
  items: TransformItem[];
  firstLine: number;
  lastLine: number;
}

type Counts = Record<string, number>;

const bump = (c: Counts, k: string | number, n = 1) => {
  c[k] = (c[k] ?? 0) + n;
};

export async function replayCommand(options: ReplayOptions, io: Io): Promise<number> {
  const base = options.to.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) {
    io.err(`--to must be an http(s) URL of a running server, like http://127.0.0.1:8080`);
    return 2;
  }
  if (!(options.batch >= 1) || !(options.concurrency >= 1)) {
    io.err('--batch and --concurrency must be at least 1');
    return 2;
  }
  const config = readConfig(options.config);
  const total = await countEventLines(options.file);

  const transform: Counts = {};
  const proxy: Counts = {};
  let malformed = 0;
  let unsent = 0;
  let done = 0;
  const started = performance.now();
  const rate = () => done / Math.max(0.001, (performance.now() - started) / 1000);
  // Skipped lines count towards the total too, so the bar ends full.
  const progress = () => done + malformed;

  const bar = io.isTTY
    ? new cliProgress.SingleBar(
        {
          format: 'replay |{bar}| {value}/{total} lines | {rate} events/s | eta {eta_formatted}',
          hideCursor: true,
          stream: process.stdout,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(total, 0, { rate: 0 });
  // A progress bar owns the terminal line: clear it before a message; the next update redraws it.
  const report = (line: string) => io.err(bar ? `\r\x1b[K${line}` : line);
  const ticker = bar
    ? undefined
    : setInterval(
        () => io.out(`replay: ${progress()}/${total} lines, ${rate().toFixed(0)} events/s`),
        options.progressEveryMs ?? 2000,
      );

  async function* batches(): AsyncGenerator<Batch> {
    const lines = createInterface({ input: createReadStream(options.file, 'utf8'), crlfDelay: Infinity });
    let lineNo = 0;
    let current: Batch = { items: [], firstLine: 1, lastLine: 0 };
    for await (const raw of lines) {
      lineNo++;
      const text = raw.trim();
      if (text === '') continue;
      let value: Json;
      try {
        value = JSON.parse(text) as Json;
      } catch (err) {
        malformed++;
        report(`${options.file}:${lineNo}: skipped: not JSON (${(err as Error).message})`);
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        malformed++;
        report(`${options.file}:${lineNo}: skipped: a line must be one event (a message or an item object)`);
        continue;
      }
      if (current.items.length === 0) current.firstLine = lineNo;
      const item = toItem(value, config, { line: lineNo });
      if (item.metadata === undefined) item.metadata = { line: lineNo };
      current.items.push(item);
      current.lastLine = lineNo;
      if (current.items.length >= options.batch) {
        yield current;
        current = { items: [], firstLine: lineNo + 1, lastLine: lineNo };
      }
    }
    if (current.items.length > 0) yield current;
  }

  const send = async (batch: Batch) => {
    const where = `lines ${batch.firstLine}-${batch.lastLine}`;
    const answer = await post(`${base}/transform`, batch.items, options.timeoutMs);
    if ('failure' in answer) {
      unsent += batch.items.length;
      report(`${where}: /transform failed: ${answer.failure}; ${batch.items.length} events not sent`);
      return;
    }
    const results = answer.body as { statusCode: number; output?: unknown }[];
    const delivered: JsonObject[] = [];
    results.forEach((r, i) => {
      bump(transform, r.statusCode);
      if (options.proxy && r.statusCode === 200) {
        const item = batch.items[i];
        delivered.push({
          metadata: item.metadata ?? null,
          destination: (item.destination ?? { Config: {} }) as Json,
          output: r.output as Json,
        });
      }
    });
    if (delivered.length > 0) {
      const outcome = await post(`${base}/proxy`, delivered, options.timeoutMs);
      if ('failure' in outcome) {
        bump(proxy, 'failed', delivered.length);
        report(`${where}: /proxy failed: ${outcome.failure}`);
      } else for (const r of outcome.body as { statusCode: number }[]) bump(proxy, r.statusCode);
    }
  };

  const source = batches();
  // Workers share one generator: each next() is queued, so every batch goes to exactly one worker.
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        await send(next.value);
        done += next.value.items.length;
        bar?.update(progress(), { rate: rate().toFixed(0) });
      }
    }),
  );
  if (ticker) clearInterval(ticker);
  bar?.update(progress(), { rate: rate().toFixed(0) });
  bar?.stop();

  const seconds = (performance.now() - started) / 1000;
  io.out(`replayed ${done} events in ${seconds.toFixed(2)} s (${rate().toFixed(0)} events/s)`);
  io.out(`transform: ${summary(transform)}`);
  if (options.proxy) io.out(`proxy: ${summary(proxy)}`);
  if (malformed > 0) io.out(`skipped: ${malformed} malformed line${malformed === 1 ? '' : 's'} (listed above)`);
  if (unsent > 0) io.out(`not sent: ${unsent} events (the server did not answer; listed above)`);
  return malformed > 0 || unsent > 0 || (proxy.failed ?? 0) > 0 ? 1 : 0;
}

const summary = (c: Counts) =>
  Object.keys(c).length === 0
    ? 'nothing'
    : Object.entries(c)
        .map(([status, n]) => `${status} × ${n}`)
        .join(', ');

async function post(url: string, body: unknown, timeoutMs = 120_000): Promise<{ body: unknown } | { failure: string }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) return { failure: `HTTP ${res.status} ${text.slice(0, 200)}` };
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed)) return { failure: 'the answer is not a JSON array' };
    return { body: parsed };
  } catch (err) {
    // fetch says only "fetch failed"; the cause names what happened (ECONNREFUSED, a timeout, ...).
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return { failure: e.cause?.code ?? e.cause?.message ?? e.message };
  }
}

/** Non-blank lines, for the progress total; streamed so a large file is not held in memory. */
async function countEventLines(file: string): Promise<number> {
  let n = 0;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const l of lines) if (l.trim() !== '') n++;
  return n;
}
