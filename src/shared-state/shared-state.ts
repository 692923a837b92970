// What processes of one deployment share, chosen by configuration: nothing (one process, the
// default) or Redis when REDIS_URL is set. Either way the rest of the product sees the same two
// interfaces: a SessionCache and an ApiBudget (and the org field lists delivery learns by describe).
import type winston from 'winston';
import type { OrgFieldCache } from '../deliver/org-field-cache.js';
import { orgFieldCacheFromEnv } from '../deliver/unknown-field-policy.js';
import { TokenCache, type SessionCache } from '../deliver/token-cache.js';
import { ApiBudgetCounter, budgetSettingsFromEnv, type ApiBudget } from './api-budget.js';
import { RedisLink, type RedisHealth } from './redis-link.js';
import { RedisFieldStore } from './redis-field-store.js';
import { RedisTokenCache } from './redis-token-cache.js';

export interface SharedState {
  sessions: SessionCache;
  budget: ApiBudget;
  /** Each org's fields per object (describe, cached); absent: delivery makes its own from the environment. */
  fields?: OrgFieldCache;
  /** Present when REDIS_URL is set. */
  redis?: RedisLink;
  health(): { mode: 'process' } | RedisHealth;
  close(): Promise<void>;
}

export function sharedStateFromEnv(env: NodeJS.ProcessEnv, logger: winston.Logger): SharedState {
  const budgetSettings = budgetSettingsFromEnv(env);
  const url = env.REDIS_URL;
  if (!url) {
    return {
      sessions: new TokenCache(),
      budget: new ApiBudgetCounter(budgetSettings),
      fields: orgFieldCacheFromEnv(env),
      health: () => ({ mode: 'process' }),
      close: () => Promise.resolve(),
    };
  }
  const redis = new RedisLink(url, logger);
  return {
    // Without TOKEN_CACHE_SECRET the Redis URL keys the entries: every process that can reach the same Redis has it.
    sessions: new RedisTokenCache(redis, { secret: env.TOKEN_CACHE_SECRET || url }),
    budget: new ApiBudgetCounter(budgetSettings, redis),
    fields: orgFieldCacheFromEnv(env, new RedisFieldStore(redis)),
    redis,
    health: () => redis.health(),
    close: () => redis.close(),
  };
}
