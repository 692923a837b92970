// The one Redis connection a process shares state through (REDIS_URL). Redis is a helper, never a
// dependency of a request: a command that cannot run at once fails fast with RedisUnavailable, the
// caller falls back to per-process behaviour, and the change is logged once and shown in /health.
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type winston from 'winston';

/** Redis could not answer; the caller uses its per-process fallback. */
export class RedisUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedisUnavailable';
  }
}

export interface RedisHealth {
  mode: 'redis';
  available: boolean;
  /** When `available` last changed (ISO time). */
  since: string;
  /** What the process does meanwhile, when Redis is not available. */
  fallback?: string;
  lastError?: string;
}

export interface RedisLinkOptions {
  /** A command slower than this is treated as Redis being unavailable (ms). */
  commandTimeoutMs?: number;
}

/** The redis URL without its password, for logs and /health. */
function redactedRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparsable URL)';
  }
}

export class RedisLink {
  readonly client: Redis;
  private available = false;
  private since = new Date();
  private lastError?: string;
  private closed = false;

  constructor(
    readonly url: string,
    private readonly logger: winston.Logger,
    options: RedisLinkOptions = {},
  ) {
    // Loaded only when REDIS_URL is set: one process with no extra services pays nothing for it.
    const { Redis: RedisClient } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
    this.client = new RedisClient(url, {
      // Queued commands would make requests wait for a Redis that may never come back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 1000,
      connectTimeout: 2000,
      // Keep reconnecting for as long as the process lives; every attempt is cheap.
      retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
    });
    this.client.on('ready', () => this.mark(true));
    this.client.on('error', (err: Error) => {
      this.lastError = err.message;
      this.mark(false);
    });
    this.client.on('close', () => this.mark(false));
  }

  get isAvailable(): boolean {
    return this.available;
  }

  /** Resolves true once connected, false if that takes longer than `ms` (the process then starts in fallback). */
  ready(ms: number): Promise<boolean> {
    if (this.available) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        resolve(false);
      }, ms);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.client.once('ready', onReady);
    });
  }

  /** Runs `op`; any failure (down, timeout, refused) becomes RedisUnavailable. */
  async run<T>(op: (redis: Redis) => Promise<T>): Promise<T> {
    if (!this.available)
      throw new RedisUnavailable(`redis is not available${this.lastError ? ` (${this.lastError})` : ''}`);
    try {
      return await op(this.client);
    } catch (err) {
      this.lastError = (err as Error).message;
      if (this.client.status !== 'ready') this.mark(false);
      throw new RedisUnavailable(`redis command failed: ${(err as Error).message}`, { cause: err });
    }
  }

  health(): RedisHealth {
    const h: RedisHealth = { mode: 'redis', available: this.available, since: this.since.toISOString() };
    if (!this.available) {
      h.fallback = 'per-process token cache and API budget until redis is back';
      if (this.lastError) h.lastError = this.lastError;
    }
    return h;
  }

  async close(): Promise<void> {
    this.closed = true;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private mark(available: boolean): void {
    if (available === this.available || this.closed) return;
    this.available = available;
    this.since = new Date();
    const url = redactedRedisUrl(this.url);
    if (available) this.logger.info('redis connected: token cache and API budget are shared', { redis: url });
    else
      this.logger.warn('redis unavailable: falling back to per-process token cache and API budget', {
        redis: url,
        error: this.lastError,
      });
  }
}
