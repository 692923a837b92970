// Bulk API 2.0 query reads: POST /jobs/query (operation queryAll), poll until JobComplete, then the
// CSV results page by page, each page naming the next one in its Sforce-Locator header ("null" = end).
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import type { SalesforceClient } from '../deliver/salesforce-client.js';
import { queryJobPath, queryJobResultsPath, queryJobsPath } from '../salesforce/api-paths.js';
import { okBody } from './api-answer.js';

export interface BulkPage {
  records: Record<string, string>[];
  /** The locator of the page after this one; null when this was the last. */
  next: string | null;
}

export interface BulkOptions {
  /** Rows per results page (Salesforce's maxRecords). */
  pageRows: number;
  /** First and longest wait between job polls (each poll is an API call). */
  pollMs: { first: number; max: number };
  /** Give up on a job that is not done after this long. */
  timeoutMs: number;
}

export const DEFAULT_BULK_OPTIONS: BulkOptions = {
  pageRows: 50_000,
  pollMs: { first: 500, max: 10_000 },
  timeoutMs: 30 * 60_000,
};

export class BulkAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BulkAnswerError';
  }
}

export async function createQueryJob(client: SalesforceClient, soql: string, what: string): Promise<string> {
  const body = okBody(
    await client.request({
      method: 'POST',
      path: queryJobsPath(client.apiVersion),
      body: { operation: 'queryAll', query: soql, contentType: 'CSV', columnDelimiter: 'COMMA', lineEnding: 'LF' },
    }),
    `${what}: creating the Bulk query job`,
  ) as { id?: unknown };
  if (typeof body.id !== 'string') throw new BulkAnswerError(`${what}: the Bulk query job was created without an id`);
  return body.id;
}

export async function waitForJob(
  client: SalesforceClient,
  jobId: string,
  what: string,
  options: BulkOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let wait = options.pollMs.first;
  for (;;) {
    const job = okBody(
      await client.request({ method: 'GET', path: queryJobPath(client.apiVersion, jobId) }),
      `${what}: Bulk query job ${jobId}`,
    ) as { state?: unknown; errorMessage?: unknown };
    if (job.state === 'JobComplete') return;
    if (job.state === 'Failed' || job.state === 'Aborted') {
      throw new BulkAnswerError(
        `${what}: Bulk query job ${jobId} ${String(job.state).toLowerCase()}${typeof job.errorMessage === 'string' ? `: ${job.errorMessage}` : ''}`,
      );
    }
    if (Date.now() > deadline)
      throw new BulkAnswerError(
        `${what}: Bulk query job ${jobId} not done after ${Math.round(options.timeoutMs / 1000)} s (state ${String(job.state)})`,
      );
    await sleep(wait);
    wait = Math.min(options.pollMs.max, wait * 2);
  }
}

/** Results from `locator` (null: the first page) to the end. */
export async function* readResults(
  client: SalesforceClient,
  jobId: string,
  locator: string | null,
  what: string,
  options: BulkOptions,
): AsyncGenerator<BulkPage> {
  let at = locator;
  for (;;) {
    const query: Record<string, string> = { maxRecords: String(options.pageRows) };
    if (at !== null) query.locator = at;
    const res = await client.request({
      method: 'GET',
      path: queryJobResultsPath(client.apiVersion, jobId),
      query,
      accept: 'text/csv',
    });
    const text = okBody(res, `${what}: results of Bulk query job ${jobId}`);
    if (typeof text !== 'string') throw new BulkAnswerError(`${what}: results of Bulk query job ${jobId} are not CSV`);
    const header = res.headers['sforce-locator'];
    const next = header === undefined || header === '' || header === 'null' ? null : header;
    yield {
      records: parseCsv(text, `${what}: results of Bulk query job ${jobId}${at ? ` (locator ${at})` : ''}`),
      next,
    };
    if (next === null) return;
    at = next;
  }
}

function parseCsv(text: string, where: string): Record<string, string>[] {
  if (text.trim() === '') return [];
  try {
    return parse<Record<string, string>>(text, { columns: true, skip_empty_lines: true, relax_column_count: false });
  } catch (err) {
    const e = err as { message: string; lines?: number };
    throw new BulkAnswerError(
      `${where}: malformed CSV${e.lines !== undefined ? ` at line ${e.lines}` : ''}: ${e.message}`,
    );
  }
}
