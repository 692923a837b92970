// The one place Salesforce REST paths are built (relative to the instance URL). Names are validated
// as identifiers and values are URL-encoded, so nothing a user sends can change which resource a
// request reaches.

import { assertApiName, assertApiVersion, DEFAULT_API_VERSION, isApiName } from './api-names.js';

export const oauthTokenPath = '/services/oauth2/token';

// A record Id (15 or 18 characters), or a `{Field}` placeholder that delivery fills from a
// looked-up record (CONTRACT: "`{Id}` where a looked-up id goes").
const RECORD_ID_SHAPE = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
const isPlaceholder = (s: string): boolean => s.startsWith('{') && s.endsWith('}') && isApiName(s.slice(1, -1));

function idSegment(id: string, what: string): string {
  if (typeof id !== 'string' || !(RECORD_ID_SHAPE.test(id) || isPlaceholder(id))) {
    throw new Error(`Invalid ${what} ${JSON.stringify(id)}: expected a 15- or 18-character Salesforce Id`);
  }
  return id;
}

/** `/services/data/v66.0` */
export function apiBase(version: string = DEFAULT_API_VERSION): string {
  return `/services/data/v${assertApiVersion(version)}`;
}

/** `/services/data/vNN.N/query` — the SOQL goes in the `q` query parameter. */
export function queryPath(version: string = DEFAULT_API_VERSION): string {
  return `${apiBase(version)}/query`;
}

/** `/services/data/vNN.N/sobjects/{object}[/{id}]`; `id` may be a `{Id}` placeholder. */
export function sobjectPath(version: string, object: string, id?: string): string {
  const base = `${apiBase(version)}/sobjects/${assertApiName(object, 'object')}`;
  return id === undefined ? base : recordPath(base, id);
}

/** `{objectPath}/{id}` under an object's path sobjectPath built: version and name checked once, not per record. */
export function recordPath(objectPath: string, id: string): string {
  return `${objectPath}/${idSegment(id, 'record Id')}`;
}

/** `/services/data/vNN.N/sobjects/{object}/describe` */
export function sobjectDescribePath(version: string, object: string): string {
  return `${sobjectPath(version, object)}/describe`;
}

/**
 * `/services/data/vNN.N/sobjects/{object}/{field}/{value}` — upsert (or get) by external id.
 * The value is always URL-encoded. `.` and `..` are refused: URL parsers treat them (even as
 * %2E%2E) as dot segments and would send the request to a different resource.
 */
export function externalIdPath(version: string, object: string, field: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`External id ${field} needs a non-empty value`);
  }
  if (value === '.' || value === '..') {
    throw new Error(
      `External id value ${JSON.stringify(value)} cannot be sent in a URL path; match it with a lookup instead`,
    );
  }
  return `${sobjectPath(version, object)}/${assertApiName(field, 'external id field')}/${encodeURIComponent(value)}`;
}

/**
 * `/services/data/vNN.N/composite/sobjects[/{object}[/{externalIdField}]]` — sObject Collections
 * (create/update/delete up to 200 records; with object and field: upsert by that field).
 */
export function compositeSobjectsPath(version: string, object?: string, externalIdField?: string): string {
  let path = `${apiBase(version)}/composite/sobjects`;
  if (object === undefined) {
    if (externalIdField !== undefined) throw new Error('An external id field needs an object');
    return path;
  }
  path += `/${assertApiName(object, 'object')}`;
  if (externalIdField !== undefined) path += `/${assertApiName(externalIdField, 'external id field')}`;
  return path;
}

/** `/services/data/vNN.N/composite` — up to 25 subrequests in one call. */
export function compositePath(version: string): string {
  return `${apiBase(version)}/composite`;
}

/** `/services/data/vNN.N/jobs/ingest` — create (POST) or list Bulk API 2.0 ingest jobs. */
export function ingestJobsPath(version: string): string {
  return `${apiBase(version)}/jobs/ingest`;
}

/** `/services/data/vNN.N/jobs/ingest/{jobId}` — job state (GET), close or abort (PATCH), delete. */
export function ingestJobPath(version: string, jobId: string): string {
  return `${ingestJobsPath(version)}/${idSegment(jobId, 'job Id')}`;
}

/** `/services/data/vNN.N/jobs/ingest/{jobId}/batches` — PUT the CSV. */
export function ingestBatchesPath(version: string, jobId: string): string {
  return `${ingestJobPath(version, jobId)}/batches`;
}

/** `/services/data/vNN.N/jobs/ingest/{jobId}/successfulResults/` */
export function ingestSuccessfulResultsPath(version: string, jobId: string): string {
  return `${ingestJobPath(version, jobId)}/successfulResults/`;
}

/** `/services/data/vNN.N/jobs/ingest/{jobId}/failedResults/` */
export function ingestFailedResultsPath(version: string, jobId: string): string {
  return `${ingestJobPath(version, jobId)}/failedResults/`;
}

/** `/services/data/vNN.N/jobs/ingest/{jobId}/unprocessedrecords/` */
export function ingestUnprocessedRecordsPath(version: string, jobId: string): string {
  return `${ingestJobPath(version, jobId)}/unprocessedrecords/`;
}

/** `/services/data/vNN.N/sobjects` — every object of the org (describeGlobal). */
export function sobjectsListPath(version: string): string {
  return `${apiBase(version)}/sobjects`;
}

/** `/services/data/vNN.N/queryAll` — like /query, with soft-deleted and archived rows. */
export function queryAllPath(version: string = DEFAULT_API_VERSION): string {
  return `${apiBase(version)}/queryAll`;
}

/** `/services/data/vNN.N/composite/batch` — up to 25 independent subrequests in one call. */
export function compositeBatchPath(version: string): string {
  return `${apiBase(version)}/composite/batch`;
}

/** A composite/batch subrequest's url: relative to /services/data (`v66.0/sobjects/Lead/describe`). */
export function batchSubrequestUrl(path: string): string {
  return path.replace(/^\/services\/data\//, '');
}

/** `/services/data/vNN.N/jobs/query` — create (POST) a Bulk API 2.0 query job. */
export function queryJobsPath(version: string): string {
  return `${apiBase(version)}/jobs/query`;
}

/** `/services/data/vNN.N/jobs/query/{jobId}` — the job's state (GET). */
export function queryJobPath(version: string, jobId: string): string {
  return `${queryJobsPath(version)}/${idSegment(jobId, 'job Id')}`;
}

/** `/services/data/vNN.N/jobs/query/{jobId}/results` — CSV pages, next one named by the Sforce-Locator header. */
export function queryJobResultsPath(version: string, jobId: string): string {
  return `${queryJobPath(version, jobId)}/results`;
}
