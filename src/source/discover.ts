// Discovery, once per run: which of the collections' objects the org has and can query (one
// GET /sobjects), then their fields (describes batched 25 per composite/batch call). Each problem
// stays with its collection, so one missing object never stops the others.
import type { SalesforceClient } from '../deliver/salesforce-client.js';
import {
  batchSubrequestUrl,
  compositeBatchPath,
  sobjectDescribePath,
  sobjectsListPath,
} from '../salesforce/api-paths.js';
import { okBody } from './api-answer.js';
import type { Collection } from './collections.js';
import { parseDescribe, type ObjectDescription } from './object-description.js';

/** Salesforce's cap on subrequests in one composite/batch call. */
const DESCRIBES_PER_BATCH = 25;

export interface Discovery {
  described: Map<string, ObjectDescription>;
  /** Collection name → why it cannot sync this run. */
  problems: Map<string, string>;
  /** Collection name → the object is not queryable: reported, not an error. */
  skipped: Map<string, string>;
}

export interface DiscoverOptions {
  /** The naive way, for the bench: one GET …/describe per object. */
  describeOneByOne?: boolean;
}

export async function discover(
  client: SalesforceClient,
  collections: Collection[],
  options: DiscoverOptions = {},
): Promise<Discovery> {
  const v = client.apiVersion;
  const out: Discovery = { described: new Map(), problems: new Map(), skipped: new Map() };
  const listed = okBody(
    await client.request({ method: 'GET', path: sobjectsListPath(v) }),
    "listing the org's objects (GET /sobjects)",
  ) as { sobjects?: unknown };
  if (!Array.isArray(listed.sobjects)) throw new Error('GET /sobjects answered without an sobjects list');
  const org = new Map<string, { name: string; queryable: boolean }>();
  for (const o of listed.sobjects as { name?: unknown; queryable?: unknown }[]) {
    if (typeof o?.name === 'string') org.set(o.name.toLowerCase(), { name: o.name, queryable: o.queryable !== false });
  }

  const toDescribe: { collection: Collection; object: string }[] = [];
  for (const c of collections) {
    const found = org.get(c.object.toLowerCase());
    if (c.queryable === false || (found && !found.queryable)) {
      out.skipped.set(
        c.name,
        `${c.object} is not queryable: Salesforce offers no query on it, so ${c.name} has no table`,
      );
    } else if (!found) {
      out.problems.set(
        c.name,
        `the org has no object ${c.object} (not in GET /sobjects): check the name, the org's edition and the user's permissions`,
      );
    } else {
      toDescribe.push({ collection: c, object: found.name });
    }
  }

  if (options.describeOneByOne) {
    for (const { collection, object } of toDescribe) {
      try {
        const body = okBody(
          await client.request({ method: 'GET', path: sobjectDescribePath(v, object) }),
          `describe of ${object}`,
        );
        out.described.set(collection.name, parseDescribe(object, body));
      } catch (err) {
        if (err instanceof Error && err.name === 'BudgetStop') throw err;
        out.problems.set(collection.name, (err as Error).message);
      }
    }
    return out;
  }

  for (let i = 0; i < toDescribe.length; i += DESCRIBES_PER_BATCH) {
    const chunk = toDescribe.slice(i, i + DESCRIBES_PER_BATCH);
    const body = okBody(
      await client.request({
        method: 'POST',
        path: compositeBatchPath(v),
        body: {
          haltOnError: false,
          batchRequests: chunk.map((d) => ({
            method: 'GET',
            url: batchSubrequestUrl(sobjectDescribePath(v, d.object)),
          })),
        },
      }),
      `describing ${chunk.length} objects (composite/batch)`,
    ) as { results?: unknown };
    if (!Array.isArray(body.results) || body.results.length !== chunk.length) {
      throw new Error(
        `composite/batch answered ${Array.isArray(body.results) ? body.results.length : 'no'} results for ${chunk.length} describes`,
      );
    }
    chunk.forEach((d, j) => {
      const r = (body.results as { statusCode?: unknown; result?: unknown }[])[j];
      try {
        const status = typeof r?.statusCode === 'number' ? r.statusCode : 0;
        const result = okBody({ status, headers: {}, body: r?.result }, `describe of ${d.object}`);
        out.described.set(d.collection.name, parseDescribe(d.object, result));
      } catch (err) {
        out.problems.set(d.collection.name, (err as Error).message);
      }
    });
  }
  return out;
}
