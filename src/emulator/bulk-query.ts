// Bulk API 2.0 query jobs: POST jobs/query {operation: query|queryAll, query} → poll
// GET jobs/query/{id} (UploadComplete → InProgress → JobComplete) → GET .../results as CSV pages
// of `maxRecords` rows, each naming the next in the Sforce-Locator header ("null" after the last)
// and its row count in Sforce-NumberOfRecords. The query is checked when the job is created, as
// Salesforce does: compound (address, location) and binary (base64) fields are refused there.
// Rows are taken when the job completes; every value is quoted, null and '' both read "" (the
// ambiguity real Bulk CSV has), datetimes end in Z rather than REST's +0000.

import { jsonObject, type ApiRequest, type ApiResponse } from './api-types.js';
import { DELIMITERS, findJob, jobSummary, quote } from './bulk-ingest.js';
import { SfApiError } from './errors.js';
import type { FieldMetadata, ObjectMetadata } from './org/metadata.js';
import type { EmulatorState } from './state.js';
import type { StoredRecord } from './store.js';

type QueryJobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Aborted' | 'Failed';

interface QueryJob {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  query: string;
  apiVersion: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: QueryJobState;
  polls: number;
  lineEnding: 'LF' | 'CRLF';
  columnDelimiter: string;
  meta: ObjectMetadata;
  fields: FieldMetadata[];
  rows?: StoredRecord[];
}

/** When the client gives no maxRecords, one results page holds at most this many rows. */
const DEFAULT_MAX_RECORDS = 50000;

const apiError = (message: string): SfApiError => new SfApiError(400, 'API_ERROR', message);

export class BulkQuery {
  private readonly jobs = new Map<string, QueryJob>();

  constructor(private readonly state: EmulatorState) {}

  clear(): void {
    this.jobs.clear();
  }

  create(req: ApiRequest): ApiResponse {
    const body = jsonObject(req);
    const operation = body.operation;
    if (operation !== 'query' && operation !== 'queryAll')
      throw new SfApiError(400, 'INVALIDJOB', `Invalid operation: ${String(operation)}`);
    if (typeof body.query !== 'string' || body.query.trim() === '')
      throw new SfApiError(400, 'INVALIDJOB', 'A query is required');
    if (body.contentType !== undefined && body.contentType !== 'CSV')
      throw new SfApiError(400, 'INVALIDJOB', `Invalid content type: ${String(body.contentType)}`);
    const lineEnding = body.lineEnding ?? 'LF';
    if (lineEnding !== 'LF' && lineEnding !== 'CRLF')
      throw new SfApiError(400, 'INVALIDJOB', `Invalid line ending: ${String(lineEnding)}`);
    const columnDelimiter = body.columnDelimiter ?? 'COMMA';
    if (typeof columnDelimiter !== 'string' || !(columnDelimiter in DELIMITERS))
      throw new SfApiError(400, 'INVALIDJOB', `Invalid column delimiter: ${String(columnDelimiter)}`);

    // Checked now, as Salesforce does: a bad query never becomes a job.
    const checked = this.check(body.query);
    this.state.limits.admitBulkQueryJob();
    const now = this.state.timestamp();
    const job: QueryJob = {
      id: this.state.records.newId('750'),
      operation,
      object: checked.meta.name,
      query: body.query,
      apiVersion: req.apiVersion,
      createdById: this.state.sessions.defaultUserId(),
      createdDate: now,
      systemModstamp: now,
      state: 'UploadComplete',
      polls: 0,
      lineEnding,
      columnDelimiter,
      meta: checked.meta,
      fields: checked.fields,
    };
    this.jobs.set(job.id, job);
    if (this.state.settings.bulkPollsBeforeComplete <= 0) this.complete(job);
    return { status: 200, body: this.info(job, false) };
  }

  get(id: string): ApiResponse {
    const job = this.job(id);
    if (job.state === 'UploadComplete' || job.state === 'InProgress') {
      job.polls++;
      if (job.polls > this.state.settings.bulkPollsBeforeComplete) this.complete(job);
      else job.state = 'InProgress';
    }
    return { status: 200, body: this.info(job, true) };
  }

  list(): ApiResponse {
    return {
      status: 200,
      body: { done: true, records: [...this.jobs.values()].map((j) => this.info(j, false)), nextRecordsUrl: null },
    };
  }

  abort(req: ApiRequest, id: string): ApiResponse {
    const job = this.job(id);
    if (jsonObject(req).state !== 'Aborted')
      throw new SfApiError(400, 'INVALIDJOBSTATE', 'A query job can only be moved to Aborted');
    if (job.state === 'JobComplete' || job.state === 'Aborted' || job.state === 'Failed') {
      throw new SfApiError(400, 'INVALIDJOBSTATE', `Cannot abort a job in state ${job.state}`);
    }
    job.state = 'Aborted';
    return { status: 200, body: this.info(job, false) };
  }

  delete(id: string): ApiResponse {
    const job = this.job(id);
    if (job.state === 'UploadComplete' || job.state === 'InProgress') {
      throw new SfApiError(400, 'INVALIDJOBSTATE', 'Cannot delete a job that is in progress');
    }
    this.jobs.delete(job.id);
    return { status: 204 };
  }

  results(req: ApiRequest, id: string): ApiResponse {
    const job = this.job(id);
    if (job.state !== 'JobComplete' || !job.rows) {
      throw new SfApiError(
        400,
        'INVALIDJOBSTATE',
        `Results are available only when the job is JobComplete (it is ${job.state})`,
      );
    }
    const locator = req.query.get('locator');
    const offset = locator === null || locator === '' ? 0 : decodeLocator(locator);
    if (offset === undefined || offset > job.rows.length)
      throw new SfApiError(400, 'INVALIDLOCATOR', `Invalid locator: ${String(locator)}`);
    const maxParam = req.query.get('maxRecords');
    const max = maxParam === null ? DEFAULT_MAX_RECORDS : Number(maxParam);
    if (!Number.isInteger(max) || max <= 0)
      throw new SfApiError(400, 'INVALIDMAXRECORDS', `Invalid maxRecords: ${String(maxParam)}`);
    const page = job.rows.slice(offset, offset + max);
    const next = offset + page.length;
    const delimiter = DELIMITERS[job.columnDelimiter];
    const eol = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
    const lines = [job.fields.map((f) => quote(f.name)).join(delimiter)];
    for (const r of page) lines.push(job.fields.map((f) => quote(csvValue(f, r[f.name]))).join(delimiter));
    return {
      status: 200,
      text: lines.join(eol) + eol,
      contentType: 'text/csv',
      headers: {
        'Sforce-Locator': next < job.rows.length ? encodeLocator(next) : 'null',
        'Sforce-NumberOfRecords': String(page.length),
      },
    };
  }

  private check(soql: string): { meta: ObjectMetadata; fields: FieldMetadata[] } {
    let selected;
    try {
      // Names, types and filters are checked exactly as the REST query checks them.
      selected = this.state.queries.select(soql, true, { checkOnly: true });
    } catch (e) {
      if (e instanceof SfApiError) throw apiError(e.errors[0]?.message ?? e.message);
      throw e;
    }
    const meta = selected.meta;
    const fields = selected.fields.map((name) => this.state.registry.field(meta.name, name) as FieldMetadata);
    if (fields.some((f) => f.type === 'address' || f.type === 'location'))
      throw apiError('Selecting compound data not supported in Bulk Query');
    if (fields.some((f) => f.type === 'base64')) throw apiError('FeatureNotEnabled : Binary field not supported');
    if (selected.count) throw apiError('Aggregate queries are not supported by Bulk API 2.0 query');
    return { meta, fields };
  }

  private complete(job: QueryJob): void {
    if (job.rows) return;
    job.rows = this.state.queries.select(job.query, job.operation === 'queryAll').rows;
    job.state = 'JobComplete';
    job.systemModstamp = this.state.timestamp();
  }

  private job(id: string): QueryJob {
    return findJob(this.jobs, id);
  }

  private info(job: QueryJob, full: boolean): Record<string, unknown> {
    const base = jobSummary(job);
    if (!full) return base;
    return {
      ...base,
      jobType: 'V2Query',
      numberRecordsProcessed: job.rows?.length ?? 0,
      retries: 0,
      totalProcessingTime: 0,
      isPkChunkingSupported: true,
    };
  }
}

/** A Bulk CSV cell: text of the value, '' for null; datetimes in Bulk's Z form. */
function csvValue(field: FieldMetadata, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (field.type === 'datetime' && typeof v === 'string' && v.endsWith('+0000')) return `${v.slice(0, -5)}Z`;
  return String(v);
}

/** Opaque to clients, as Salesforce's are; here the row offset, base64url-encoded. */
function encodeLocator(offset: number): string {
  return Buffer.from(`o${offset}`).toString('base64url');
}

function decodeLocator(locator: string): number | undefined {
  const m = /^o(\d+)$/.exec(Buffer.from(locator, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}
