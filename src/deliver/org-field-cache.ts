// The fields each org has, learned by describe (GET /sobjects/{O}/describe) and kept per org
// (instance host) and object, so delivery can leave out a custom field the org lacks instead of
// failing the whole write. A describe costs one API call from the org's daily quota, so calls
// are bounded: one per org and object per TTL (default 1 h, at most 24 a day), single-flight
// (20 requests that miss at once make one call), and a forced refresh (Salesforce said
// INVALID_FIELD for a field the cache thought existed) at most once per `minRefreshMs`. A failed
// describe is remembered briefly too, so an org that refuses describes is not asked on every batch.
// With REDIS_URL the field lists are shared by every process (shared-state/redis-field-store.ts).
import { LRUCache } from 'lru-cache';
import { metadataFromDescribe } from '../salesforce/describe-metadata.js';
import { sobjectDescribePath } from '../salesforce/api-paths.js';
import { orgOf } from './accounted-client.js';
import type { SalesforceClient } from './salesforce-client.js';

/** Field lists shared between processes (Redis); every method may fail, then the process describes itself. */
export interface SharedFieldStore {
  get(key: string): Promise<string[] | undefined>;
  set(key: string, fields: string[], ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface OrgFieldCacheOptions {
  /** How long a describe answer is trusted (ms, default 1 h). */
  ttlMs?: number;
  /** A forced refresh is skipped when the entry is younger than this (ms, default 60 s). */
  minRefreshMs?: number;
  /** How long a failed describe is remembered (ms, default 60 s). */
  failureTtlMs?: number;
  /** Entries kept (org × object); the least recently described go first. */
  maxEntries?: number;
  shared?: SharedFieldStore;
  now?: () => number;
}

interface Entry {
  /** Lower-case field names, or undefined when the describe failed. */
  fields?: ReadonlySet<string>;
  at: number;
  inflight?: Promise<ReadonlySet<string> | undefined>;
}

export const DEFAULT_DESCRIBE_TTL_MS = 3_600_000;

export class OrgFieldCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly ttlMs: number;
  private readonly minRefreshMs: number;
  private readonly failureTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: OrgFieldCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_DESCRIBE_TTL_MS;
    this.minRefreshMs = Math.min(options.minRefreshMs ?? 60_000, this.ttlMs);
    this.failureTtlMs = Math.min(options.failureTtlMs ?? 60_000, this.ttlMs);
    this.entries = new LRUCache({ max: options.maxEntries ?? 10_000 });
    this.now = options.now ?? Date.now;
  }

  /** The org's fields on `object` (lower case), or undefined when they cannot be learned. */
  fields(client: SalesforceClient, object: string): Promise<ReadonlySet<string> | undefined> {
    const key = keyOf(client, object);
    // Without a known org a cached list could be another org's: ask, and keep nothing.
    if (key === undefined) return describeFields(client, object);
    const entry = this.entries.get(key);
    if (entry?.inflight) return entry.inflight;
    if (entry && this.now() - entry.at < (entry.fields ? this.ttlMs : this.failureTtlMs))
      return Promise.resolve(entry.fields);
    return this.start(key, client, object, false);
  }

  /**
   * Salesforce refused a field the cached list has (deleted since): describe again, unless the
   * list is younger than minRefreshMs (then it is as fresh as it usefully gets).
   */
  refresh(client: SalesforceClient, object: string): Promise<ReadonlySet<string> | undefined> {
    const key = keyOf(client, object);
    if (key === undefined) return describeFields(client, object);
    const entry = this.entries.get(key);
    if (entry?.inflight) return entry.inflight;
    if (entry && this.now() - entry.at < this.minRefreshMs) return Promise.resolve(entry.fields);
    return this.start(key, client, object, true);
  }

  get size(): number {
    return this.entries.size;
  }

  private start(
    key: string,
    client: SalesforceClient,
    object: string,
    forced: boolean,
  ): Promise<ReadonlySet<string> | undefined> {
    const inflight = this.load(key, client, object, forced);
    const previous = this.entries.get(key);
    this.entries.set(key, { ...previous, at: previous?.at ?? 0, inflight });
    void inflight.then((fields) => this.entries.set(key, { fields, at: this.now() }));
    return inflight;
  }

  private async load(
    key: string,
    client: SalesforceClient,
    object: string,
    forced: boolean,
  ): Promise<ReadonlySet<string> | undefined> {
    const shared = this.options.shared;
    if (shared) {
      if (forced) await shared.delete(key).catch(() => undefined);
      else {
        const list = await shared.get(key).catch(() => undefined);
        if (list) return new Set(list);
      }
    }
    const fields = await describeFields(client, object);
    if (fields && shared) await shared.set(key, [...fields], this.ttlMs).catch(() => undefined);
    return fields;
  }
}

function keyOf(client: SalesforceClient, object: string): string | undefined {
  const org = orgOf(client.instanceUrl);
  return org === 'unknown' || org === '' ? undefined : `${org}|${object.toLowerCase()}`;
}

/** Every field the describe lists (those the product cannot write too: they exist), lower case; undefined on any failure. */
async function describeFields(client: SalesforceClient, object: string): Promise<ReadonlySet<string> | undefined> {
  try {
    const res = await client.request({ method: 'GET', path: sobjectDescribePath(client.apiVersion, object) });
    if (res.status !== 200) return undefined;
    const { meta, left } = metadataFromDescribe(res.body);
    return new Set([...Object.keys(meta.fields), ...left.map((l) => l.field)].map((f) => f.toLowerCase()));
  } catch {
    return undefined;
  }
}
