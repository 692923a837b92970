// Sessions shared by every request that uses the same credentials. Single-flight: when many events
// miss (or see an expired session) at once, one token request is made and all of them wait for it,
// so a burst never trips Salesforce's login rate limit or rotates a token out from under a neighbour.
import { createHmac, randomBytes } from 'node:crypto';

// Keyed per process: a key seen in a heap dump cannot be tested against guessed passwords elsewhere.
const KEY_SECRET = randomBytes(32);

export interface Session {
  accessToken: string;
  instanceUrl: string;
}

/** A stable, non-reversible key for a set of credentials; the raw secret never becomes a map key or log field. */
export function credentialKey(parts: Record<string, string | undefined>, secret: Buffer = KEY_SECRET): string {
  const canonical = JSON.stringify(
    Object.keys(parts)
      .sort()
      .map((k) => [k, parts[k] ?? null]),
  );
  return createHmac('sha256', secret).update(canonical).digest('hex');
}

/**
 * Where sessions live. The in-process TokenCache below is the default; shared-state/redis-token-cache.ts
 * keeps them in Redis so that every process of a deployment makes one token request per org.
 */
export interface SessionCache {
  /** The cache key for a set of credentials (stable across the processes that share the cache). */
  keyOf(parts: Record<string, string | undefined>): string;
  /** The cached session for `key`, fetching it once when there is none. */
  get(key: string, fetch: () => Promise<Session>): Promise<Session>;
  /** Replaces `stale` (a token Salesforce refused); callers that saw the same stale token share one fetch. */
  refresh(key: string, stale: string, fetch: () => Promise<Session>): Promise<Session>;
  evict(key: string): void;
}

interface Entry {
  session?: Session;
  inflight?: Promise<Session>;
}

export class TokenCache implements SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 1000) {}

  keyOf(parts: Record<string, string | undefined>): string {
    return credentialKey(parts);
  }

  /** The cached session for `key`, fetching it once when there is none. */
  async get(key: string, fetch: () => Promise<Session>): Promise<Session> {
    const entry = this.entries.get(key);
    if (entry?.session) return entry.session;
    if (entry?.inflight) return entry.inflight;
    return this.start(key, fetch);
  }

  /**
   * Replaces `stale` (a token Salesforce just refused). Callers that saw the same stale token share
   * one refresh; a caller whose stale token was already replaced gets the replacement at once.
   */
  async refresh(key: string, stale: string, fetch: () => Promise<Session>): Promise<Session> {
    const entry = this.entries.get(key);
    if (entry?.inflight) return entry.inflight;
    if (entry?.session && entry.session.accessToken !== stale) return entry.session;
    return this.start(key, fetch);
  }

  evict(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private start(key: string, fetch: () => Promise<Session>): Promise<Session> {
    const inflight = (async () => fetch())();
    this.store(key, { inflight });
    inflight.then(
      (session) => {
        if (this.entries.get(key)?.inflight === inflight) this.store(key, { session });
      },
      () => {
        // A failed request leaves nothing behind: the next caller tries again instead of inheriting the failure.
        if (this.entries.get(key)?.inflight === inflight) this.entries.delete(key);
      },
    );
    return inflight;
  }

  private store(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    // Map iteration is insertion order, so the first key is the least recently stored.
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
