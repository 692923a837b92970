// The org field lists of deliver/org-field-cache.ts shared through Redis: a describe made by one
// process serves every process until its TTL, so a deployment of N processes still describes an
// object about once per TTL (at most N times when they all miss at the same moment). Field names
// are not secret (they are the org's schema); the key is the instance host and the object.
import type { SharedFieldStore } from '../deliver/org-field-cache.js';
import type { RedisLink } from './redis-link.js';

export class RedisFieldStore implements SharedFieldStore {
  constructor(
    private readonly link: RedisLink,
    private readonly prefix = 'sf:fields:',
  ) {}

  async get(key: string): Promise<string[] | undefined> {
    const raw = await this.link.run((r) => r.get(this.prefix + key));
    if (raw === null) return undefined;
    try {
      const list: unknown = JSON.parse(raw);
      return Array.isArray(list) && list.every((f) => typeof f === 'string') ? list : undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, fields: string[], ttlMs: number): Promise<void> {
    await this.link.run((r) => r.set(this.prefix + key, JSON.stringify(fields), 'PX', Math.max(1, Math.round(ttlMs))));
  }

  async delete(key: string): Promise<void> {
    await this.link.run((r) => r.del(this.prefix + key));
  }
}
