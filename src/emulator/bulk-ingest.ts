// Bulk API 2.0 ingest jobs. Callers must do what the real API demands: upload once, mark the upload
// complete, poll until a final state (the emulator stays InProgress for a configurable number of
// polls), then read result CSVs whose row order differs from the input, correlating by content.

import { parse } from 'csv-parse/sync';
import { type ObjectMetadata, isUpsertKey } from './org/metadata.js';
import { jsonObject, type ApiRequest, type ApiResponse } from './api-types.js';
import { SfApiError } from './errors.js';
import { MultipleMatches } from './records.js';
import type { EmulatorState } from './state.js';
import type { StoredRecord } from './store.js';
import { deserialise } from './validation.js';

export type BulkOperation = 'insert' | 'update' | 'upsert' | 'delete';
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export const DELIMITERS: Record<string, string> = {
  COMMA: ',',
  TAB: '\t',
  PIPE: '|',
  SEMICOLON: ';',
  CARET: '^',
  BACKQUOTE: '`',
};

export interface BulkJob {
  id: string;
  object: string;
  operation: BulkOperation;
  externalIdFieldName?: string;
  columnDelimiter: string;
  lineEnding: 'LF' | 'CRLF';
  state: JobState;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  apiVersion: string;
  csv?: string;
  polls: number;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  errorMessage?: string;
  header: string[];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
}

function jobError(status: number, errorCode: string, message: string): SfApiError {
  return new SfApiError(status, errorCode, message);
}

export class BulkIngest {
  private readonly jobs = new Map<string, BulkJob>();

  constructor(private readonly state: EmulatorState) {}

  clear(): void {
    this.jobs.clear();
  }

  list(): BulkJob[] {
    return [...this.jobs.values()];
  }

  create(req: ApiRequest): ApiResponse {
    const body = jsonObject(req);
    const meta = typeof body.object === 'string' ? this.state.registry.get(body.object) : undefined;
    if (!meta)
      throw jobError(400, 'INVALIDENTITY', `Entity '${String(body.object)}' is not supported by the Bulk API.`);
    const operation = body.operation;
    if (operation !== 'insert' && operation !== 'update' && operation !== 'upsert' && operation !== 'delete') {
      throw jobError(400, 'INVALIDJOB', `Invalid operation: ${String(operation)}`);
    }
    let externalIdFieldName: string | undefined;
    if (operation === 'upsert') {
      const f =
        typeof body.externalIdFieldName === 'string'
          ? this.state.registry.field(meta.name, body.externalIdFieldName)
          : undefined;
      if (!f || !isUpsertKey(f))
        throw jobError(400, 'INVALIDJOB', `Invalid External ID field: ${String(body.externalIdFieldName)}`);
      externalIdFieldName = f.name;
    }
    if (body.contentType !== undefined && body.contentType !== 'CSV')
      throw jobError(400, 'INVALIDJOB', `Invalid content type: ${String(body.contentType)}`);
    const lineEnding = body.lineEnding ?? 'LF';
    if (lineEnding !== 'LF' && lineEnding !== 'CRLF')
      throw jobError(400, 'INVALIDJOB', `Invalid line ending: ${String(lineEnding)}`);
    const columnDelimiter = body.columnDelimiter ?? 'COMMA';
    if (typeof columnDelimiter !== 'string' || !(columnDelimiter in DELIMITERS)) {
      throw jobError(400, 'INVALIDJOB', `Invalid column delimiter: ${String(columnDelimiter)}`);
    }
    const now = this.state.timestamp();
    const job: BulkJob = {
      id: this.state.records.newId('750'),
      object: meta.name,
      operation,
      externalIdFieldName,
      columnDelimiter,
      lineEnding,
      state: 'Open',
      createdById: this.state.sessions.defaultUserId(),
      createdDate: now,
      systemModstamp: now,
      apiVersion: req.apiVersion,
      polls: 0,
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      header: [],
      successful: [],
      failed: [],
      unprocessed: [],
    };
    this.jobs.set(job.id, job);
    return { status: 200, body: this.info(job, false) };
  }

  upload(req: ApiRequest, id: string): ApiResponse {
    const job = this.job(id);
    if (job.state !== 'Open')
      throw jobError(409, 'INVALIDJOBSTATE', `Job ${job.id} is not open for uploads (state ${job.state})`);
    if (job.csv !== undefined) throw jobError(409, 'INVALIDJOBSTATE', 'Only one upload of data is allowed per job');
    if (!(req.contentType ?? '').toLowerCase().startsWith('text/csv'))
      throw jobError(400, 'INVALIDCONTENTTYPE', 'Content-Type must be text/csv');
    const size = req.body?.length ?? 0;
    if (size > this.state.settings.bulkMaxUploadBytes) {
      throw jobError(
        413,
        'EXCEEDED_QUOTA',
        `The upload is ${size} bytes; the limit is ${this.state.settings.bulkMaxUploadBytes}`,
      );
    }
    job.csv = req.body?.toString('utf8') ?? '';
    return { status: 201 };
  }

  changeState(req: ApiRequest, id: string): ApiResponse {
    const job = this.job(id);
    const wanted = jsonObject(req).state;
    if (wanted === 'UploadComplete') {
      if (job.state !== 'Open')
        throw jobError(409, 'INVALIDJOBSTATE', `Cannot move job from ${job.state} to UploadComplete`);
      job.state = 'UploadComplete';
      job.polls = 0;
      const reply = this.info(job, false);
      if (this.state.settings.bulkPollsBeforeComplete <= 0) this.process(job);
      return { status: 200, body: reply };
    }
    if (wanted === 'Aborted') {
      if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') {
        throw jobError(409, 'INVALIDJOBSTATE', `Cannot abort a job in state ${job.state}`);
      }
      job.state = 'Aborted';
      this.markUnprocessed(job);
      return { status: 200, body: this.info(job, false) };
    }
    throw jobError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(wanted)}`);
  }

  get(id: string): ApiResponse {
    const job = this.job(id);
    if (job.state === 'UploadComplete' || job.state === 'InProgress') {
      job.polls++;
      if (job.polls > this.state.settings.bulkPollsBeforeComplete) this.process(job);
      else job.state = 'InProgress';
    }
    return { status: 200, body: this.info(job, true) };
  }

  delete(id: string): ApiResponse {
    const job = this.job(id);
    if (job.state === 'InProgress') throw jobError(409, 'INVALIDJOBSTATE', 'Cannot delete a job that is in progress');
    this.jobs.delete(job.id);
    return { status: 204 };
  }

  listResponse(): ApiResponse {
    return {
      status: 200,
      body: { done: true, records: this.list().map((j) => this.info(j, false)), nextRecordsUrl: null },
    };
  }

  results(id: string, kind: 'successfulResults' | 'failedResults' | 'unprocessedrecords'): ApiResponse {
    const job = this.job(id);
    const head =
      kind === 'successfulResults'
        ? ['"sf__Id"', '"sf__Created"']
        : kind === 'failedResults'
          ? ['"sf__Id"', '"sf__Error"']
          : [];
    const rows =
      kind === 'successfulResults' ? job.successful : kind === 'failedResults' ? job.failed : job.unprocessed;
    const lines = [[...head, ...job.header].join(','), ...rows.map((r) => r.map(quote).join(','))];
    return { status: 200, text: lines.join('\n') + '\n', contentType: 'text/csv' };
  }

  private job(id: string): BulkJob {
    return findJob(this.jobs, id);
  }

  private info(job: BulkJob, full: boolean): Record<string, unknown> {
    const base = jobSummary(job, {
      externalIdFieldName: job.externalIdFieldName,
      contentUrl: `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`,
    });
    if (!full) return base;
    return {
      ...base,
      jobType: 'V2Ingest',
      numberRecordsProcessed: job.numberRecordsProcessed,
      numberRecordsFailed: job.numberRecordsFailed,
      retries: 0,
      totalProcessingTime: 0,
      apiActiveProcessingTime: 0,
      apexProcessingTime: 0,
      ...(job.errorMessage !== undefined ? { errorMessage: job.errorMessage } : {}),
    };
  }

  private fail(job: BulkJob, message: string): void {
    job.state = 'Failed';
    job.errorMessage = message;
    this.markUnprocessed(job);
  }

  private markUnprocessed(job: BulkJob): void {
    if (job.csv === undefined || job.successful.length + job.failed.length > 0) return;
    try {
      const rows = this.parse(job);
      job.header = rows[0] ?? [];
      job.unprocessed = rows.slice(1);
    } catch {
      // An unparsable upload has no rows to give back.
    }
  }

  private parse(job: BulkJob): string[][] {
    const rows: string[][] = parse(job.csv ?? '', {
      delimiter: DELIMITERS[job.columnDelimiter],
      record_delimiter: job.lineEnding === 'CRLF' ? '\r\n' : '\n',
      bom: true,
      skip_empty_lines: true,
    });
    return rows;
  }

  private process(job: BulkJob): void {
    job.systemModstamp = this.state.timestamp();
    if (job.csv === undefined || job.csv.trim() === '')
      return this.fail(job, 'InvalidBatch : No data was uploaded for this job');
    let rows: string[][];
    try {
      rows = this.parse(job);
    } catch (e) {
      return this.fail(job, `InvalidBatch : Failed to parse CSV: ${(e as Error).message}`);
    }
    const meta = this.state.registry.get(job.object) as ObjectMetadata;
    const header = rows[0] ?? [];
    const seen = new Set<string>();
    for (const column of header) {
      const f = this.state.registry.field(meta.name, column);
      if (!f) return this.fail(job, `InvalidBatch : Field name not found : ${column}`);
      if (seen.has(f.name)) return this.fail(job, `InvalidBatch : Duplicate field name found : ${column}`);
      seen.add(f.name);
    }
    if (job.operation === 'upsert' && !seen.has(job.externalIdFieldName as string)) {
      return this.fail(
        job,
        `InvalidBatch : The External ID field ${job.externalIdFieldName} was not found in the header`,
      );
    }
    if (job.operation === 'delete' && !seen.has('Id'))
      return this.fail(job, 'InvalidBatch : Field name not found : Id');
    job.header = header;

    for (const row of rows.slice(1)) {
      const cells: Record<string, unknown> = {};
      header.forEach((column, i) => {
        cells[column] = row[i] ?? '';
      });
      try {
        const { id, created } = this.processRow(job, meta, cells);
        job.successful.push([id, String(created), ...row]);
      } catch (e) {
        if (!(e instanceof SfApiError)) throw e;
        const idCell = header.findIndex((c) => c.toLowerCase() === 'id');
        const err = e.errors[0];
        const fields = (err.fields ?? []).join(',');
        job.failed.push([
          idCell >= 0 ? (row[idCell] ?? '') : '',
          `${err.errorCode}:${err.message}:${fields} --`,
          ...row,
        ]);
      }
    }
    job.successful = this.reorder(job.successful);
    job.failed = this.reorder(job.failed);
    job.numberRecordsProcessed = job.successful.length + job.failed.length;
    job.numberRecordsFailed = job.failed.length;
    job.state = 'JobComplete';
  }

  private processRow(
    job: BulkJob,
    meta: ObjectMetadata,
    cells: Record<string, unknown>,
  ): { id: string; created: boolean } {
    const d = deserialise(this.state.registry, meta, cells, 'csv');
    switch (job.operation) {
      case 'insert':
        return { id: this.state.records.create(meta, d).Id, created: true };
      case 'update': {
        if (d.id === undefined || d.id === '')
          throw new SfApiError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', []);
        const record = this.target(meta, d.id);
        this.state.records.update(meta, record, d);
        return { id: record.Id, created: false };
      }
      case 'delete': {
        const record = this.target(meta, d.id);
        this.state.records.delete(meta, record);
        return { id: record.Id, created: false };
      }
      case 'upsert': {
        const field = job.externalIdFieldName as string;
        const value = field === 'Id' ? d.id : d.values[field];
        if (value === undefined || value === null)
          throw new SfApiError(400, 'MISSING_ARGUMENT', `${field} not specified`, [field]);
        try {
          const { record, created } = this.state.records.upsert(meta, field, value, d);
          return { id: record.Id, created };
        } catch (e) {
          if (e instanceof MultipleMatches) throw new SfApiError(400, 'DUPLICATE_EXTERNAL_ID', e.message, [field]);
          throw e;
        }
      }
    }
  }

  /** Bulk reports an unknown Id as INVALID_CROSS_REFERENCE_KEY, where single REST says 404 NOT_FOUND. */
  private target(meta: ObjectMetadata, id: unknown): StoredRecord {
    try {
      return this.state.records.resolve(meta, id);
    } catch (e) {
      if (e instanceof SfApiError && e.errors[0]?.errorCode === 'NOT_FOUND') {
        throw new SfApiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['Id']);
      }
      throw e;
    }
  }

  private reorder(rows: string[][]): string[][] {
    switch (this.state.settings.bulkResultOrder) {
      case 'input':
        return rows;
      case 'reverse':
        return rows.slice().reverse();
      default:
        return this.state.shuffles.shuffle(rows);
    }
  }
}

/** What ingest and query jobs alike answer about themselves, in Salesforce's key order. */
export function jobSummary(
  job: Pick<
    BulkJob,
    'id' | 'object' | 'createdById' | 'createdDate' | 'systemModstamp' | 'apiVersion' | 'lineEnding' | 'columnDelimiter'
  > & { operation: string; state: string },
  only: { externalIdFieldName?: string; contentUrl?: string } = {},
): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    ...(only.externalIdFieldName ? { externalIdFieldName: only.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
    ...(only.contentUrl ? { contentUrl: only.contentUrl } : {}),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}

/** A job by its 18- or 15-character Id; 404 NOT_FOUND otherwise (ingest and query jobs alike). */
export function findJob<T extends { id: string }>(jobs: Map<string, T>, id: string): T {
  const job = jobs.get(id) ?? [...jobs.values()].find((j) => j.id.slice(0, 15) === id.slice(0, 15));
  if (!job) throw new SfApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return job;
}

export function quote(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}
