// Sessions shared by every process through Redis: one login or refresh per org however many pods
// miss at once. Each process keeps its own single-flight TokenCache in front (20 callers in one
// process make one trip to Redis); behind it, a process that needs a token reads Redis, and only the
// holder of an expiring lock (SET NX PX) asks Salesforce while the others poll for its result. A
// holder that dies lets its lock expire and the next caller takes over. When Redis cannot answer,
// the process asks Salesforce itself (per-process behaviour) rather than failing the request.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { credentialKey, TokenCache, type Session, type SessionCache } from '../deliver/token-cache.js';
import { RedisUnavailable, type RedisLink } from './redis-link.js';

export interface RedisTokenCacheOptions {
  /**
   * Keys and encrypts the entries; every process of a deployment must use the same one. Entries in
   * Redis are HMACs of the credentials (never the credentials) and AES-GCM-encrypted sessions.
   */
  secret: string;
  /** How long a lock holder may take to get a token before another process takes over (ms). */
  lockTtlMs?: number;
  /** How long a session stays in Redis (Salesforce's default session timeout is 2 h of inactivity). */
  sessionTtlMs?: number;
  /** How often a waiting process looks for the lock holder's result (ms). */
  pollMs?: number;
  prefix?: string;
}

// Compare-and-delete: a holder whose lock already expired must not delete its successor's lock.
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class RedisTokenCache implements SessionCache {
  private readonly local = new TokenCache();
  private readonly hmacKey: Buffer;
  private readonly aesKey: Buffer;
  private readonly lockTtlMs: number;
  private readonly sessionTtlMs: number;
  private readonly pollMs: number;
  private readonly prefix: string;

  constructor(
    private readonly link: RedisLink,
    options: RedisTokenCacheOptions,
  ) {
    this.hmacKey = createHash('sha256').update(`key|${options.secret}`).digest();
    this.aesKey = createHash('sha256').update(`enc|${options.secret}`).digest();
    this.lockTtlMs = options.lockTtlMs ?? 15_000;
    this.sessionTtlMs = options.sessionTtlMs ?? 60 * 60_000;
    this.pollMs = options.pollMs ?? 25;
    this.prefix = options.prefix ?? 'sf:';
  }

  keyOf(parts: Record<string, string | undefined>): string {
    // The same credentials give the same key in every process that shares the secret.
    return credentialKey(parts, this.hmacKey);
  }

  get(key: string, fetch: () => Promise<Session>): Promise<Session> {
    return this.local.get(key, () => this.shared(key, undefined, fetch));
  }

  refresh(key: string, stale: string, fetch: () => Promise<Session>): Promise<Session> {
    return this.local.refresh(key, stale, () => this.shared(key, stale, fetch));
  }

  evict(key: string): void {
    this.local.evict(key);
    this.link.run((r) => r.del(this.sessionKey(key))).catch(() => undefined);
  }

  /** A session other than `stale` from Redis, or fetched by whichever process holds the lock. */
  private async shared(key: string, stale: string | undefined, fetch: () => Promise<Session>): Promise<Session> {
    try {
      return await this.throughRedis(key, stale, fetch);
    } catch (err) {
      if (err instanceof RedisUnavailable) return fetch();
      throw err;
    }
  }

  private async throughRedis(key: string, stale: string | undefined, fetch: () => Promise<Session>): Promise<Session> {
    const sessionKey = this.sessionKey(key);
    const lockKey = `${this.prefix}session-lock:${key}`;
    // Past this, a holder is overdue even counting its lock's expiry: stop waiting and ask ourselves.
    const deadline = Date.now() + this.lockTtlMs * 2;
    for (;;) {
      const found = await this.read(sessionKey, stale);
      if (found) return found;
      const token = randomUUID();
      const locked = await this.link.run((r) => r.set(lockKey, token, 'PX', this.lockTtlMs, 'NX'));
      if (locked === 'OK') {
        try {
          // Someone may have stored a session between our read and our lock.
          const again = await this.read(sessionKey, stale);
          if (again) return again;
          const session = await fetch();
          await this.link
            .run((r) => r.set(sessionKey, this.seal(session), 'PX', this.sessionTtlMs))
            .catch(() => undefined);
          return session;
        } finally {
          await this.link.run((r) => r.eval(RELEASE, 1, lockKey, token)).catch(() => undefined);
        }
      }
      if (Date.now() > deadline) return fetch();
      await sleep(this.pollMs + Math.random() * this.pollMs);
    }
  }

  private async read(sessionKey: string, stale: string | undefined): Promise<Session | undefined> {
    const raw = await this.link.run((r) => r.get(sessionKey));
    const session = raw === null ? undefined : this.open(raw);
    return session && session.accessToken !== stale ? session : undefined;
  }

  private sessionKey(key: string): string {
    return `${this.prefix}session:${key}`;
  }

  private seal(session: Session): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.aesKey, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(session), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** A session written with another secret (or tampered with) reads as absent, so it is fetched anew. */
  private open(raw: string): Session | undefined {
    try {
      const buf = Buffer.from(raw, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', this.aesKey, buf.subarray(0, 12));
      decipher.setAuthTag(buf.subarray(12, 28));
      const text = Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
      const s = JSON.parse(text) as Partial<Session>;
      return typeof s.accessToken === 'string' && typeof s.instanceUrl === 'string'
        ? { accessToken: s.accessToken, instanceUrl: s.instanceUrl }
        : undefined;
    } catch {
      return undefined;
    }
  }
}
