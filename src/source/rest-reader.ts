// REST reads: GET /queryAll (soft-deleted rows included, IsDeleted = true), then each
// nextRecordsUrl, one page (up to 2,000 rows) at a time.
import type { SalesforceClient } from '../deliver/salesforce-client.js';
import { queryAllPath } from '../salesforce/api-paths.js';
import { okBody } from './api-answer.js';

export interface RestPage {
  records: Record<string, unknown>[];
  totalSize: number;
}

export async function* readRest(client: SalesforceClient, soql: string, what: string): AsyncGenerator<RestPage> {
  let res = await client.request({ method: 'GET', path: queryAllPath(client.apiVersion), query: { q: soql } });
  for (;;) {
    const body = okBody(res, what) as {
      records?: unknown;
      totalSize?: unknown;
      done?: unknown;
      nextRecordsUrl?: unknown;
    };
    if (!Array.isArray(body.records)) throw new Error(`${what}: the query answer has no records list`);
    const records = body.records.map(({ attributes: _a, ...rest }: Record<string, unknown>) => rest);
    yield { records, totalSize: typeof body.totalSize === 'number' ? body.totalSize : records.length };
    if (body.done !== false) return;
    if (typeof body.nextRecordsUrl !== 'string' || !body.nextRecordsUrl.startsWith('/services/data/')) {
      throw new Error(`${what}: the answer says more rows follow but gives no nextRecordsUrl under /services/data/`);
    }
    res = await client.request({ method: 'GET', path: body.nextRecordsUrl });
  }
}
