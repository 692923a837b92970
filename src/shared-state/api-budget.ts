// How many Salesforce API calls the product may still make for an org in the last 24 hours. Every
// call (delivery and source) takes one from the org's counter first: in Redis when REDIS_URL is set
// (one Lua script, so check-and-count is atomic across every process), else in this process. Two
// limits, either optional: a fixed number of calls per 24 h, and a share of the org's own daily
// allowance as Salesforce reports it (Sforce-Limit-Info: api-usage=used/max). Past either, the call
// is refused with the time until enough calls leave the window, which delivery turns into a 429 the
// router backs off on.
import type { RedisLink } from './redis-link.js';
import { RedisUnavailable } from './redis-link.js';

export interface BudgetSettings {
  /** Calls per rolling 24 h the product may make per org (SALESFORCE_API_BUDGET_CALLS). */
  calls?: number;
  /** Share (0–1] of the org's daily allowance the product may use (SALESFORCE_API_BUDGET_SHARE). */
  share?: number;
}

export type BudgetDecision =
  { ok: true; used: number; limit?: number } | { ok: false; used: number; limit: number; retryAfterSeconds: number };

/** A caller's own, stricter share of the org's allowance (the source sync's budgetShare). */
export interface TakeOptions {
  share?: number;
}

export interface ApiBudget {
  /** Takes one call from the org's budget, or says why not and when to retry. */
  take(org: string, options?: TakeOptions): Promise<BudgetDecision>;
  /** What Salesforce said about the org's usage (any process's latest answer is good enough). */
  observe(org: string, used: number, max: number): void;
  /** Calls left today for the org, when a limit applies (for metrics). */
  remaining(org: string): number | undefined;
}

export function budgetSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): BudgetSettings {
  const settings: BudgetSettings = {};
  if (env.SALESFORCE_API_BUDGET_CALLS) {
    const calls = Number(env.SALESFORCE_API_BUDGET_CALLS);
    if (!Number.isInteger(calls) || calls < 0)
      throw new Error(
        `SALESFORCE_API_BUDGET_CALLS must be a whole number of calls, not "${env.SALESFORCE_API_BUDGET_CALLS}"`,
      );
    settings.calls = calls;
  }
  if (env.SALESFORCE_API_BUDGET_SHARE) {
    const share = Number(env.SALESFORCE_API_BUDGET_SHARE);
    if (!(share > 0 && share <= 1))
      throw new Error(
        `SALESFORCE_API_BUDGET_SHARE must be a number in (0, 1], like 0.5, not "${env.SALESFORCE_API_BUDGET_SHARE}"`,
      );
    settings.share = share;
  }
  return settings;
}

// Salesforce counts an org's calls over a rolling 24 hours, so the budget does too: calls are
// counted in hourly buckets and the window is the current hour and the 23 before it. A call stays
// counted until its hour leaves the window — up to an hour longer than Salesforce keeps it, which is
// the safe side. One Lua script reads the 24 buckets, decides and counts atomically across processes.
//
// KEYS[1] the org's bucket key prefix; ARGV: current hour (ms since epoch / 1 h), fixed cap (-1 none),
// share limit (-1 none), calls made by other clients of the org as Salesforce last reported them,
// bucket lifetime in ms. Returns {1 taken | 0 refused, bucket counts oldest first (24)}.
const TAKE = `
local hour = tonumber(ARGV[1])
local cap, shareLimit, others = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local counts, sum = {}, 0
for i = 0, 23 do
  local n = tonumber(redis.call('GET', KEYS[1] .. ':' .. (hour - 23 + i)) or '0')
  counts[i + 1] = n
  sum = sum + n
end
if (cap >= 0 and sum + 1 > cap) or (shareLimit >= 0 and sum + others + 1 > shareLimit) then return {0, unpack(counts)} end
local key = KEYS[1] .. ':' .. hour
counts[24] = redis.call('INCR', key)
if counts[24] == 1 then redis.call('PEXPIRE', key, ARGV[5]) end
return {1, unpack(counts)}`;

const HOUR_MS = 60 * 60_000;
const WINDOW_HOURS = 24;
/** Orgs tracked in memory at once; the oldest is forgotten first (its Redis counter stays exact). */
const MAX_ORGS = 10_000;

interface OrgState {
  /** Calls counted per hour (hour number → calls): Redis's buckets when last seen, plus local ones while it was away. */
  buckets: Map<number, number>;
  /** Calls the org made that we did not (Salesforce's reported usage minus our count at that moment). */
  others: number;
  /** The hour `others` was learned in: usage over a rolling window also falls, so older figures give way. */
  othersHour?: number;
  max?: number;
}

export class ApiBudgetCounter implements ApiBudget {
  private readonly orgs = new Map<string, OrgState>();

  constructor(
    private readonly settings: BudgetSettings,
    private readonly link?: RedisLink,
    private readonly now: () => number = Date.now,
    private readonly prefix = 'sf:',
  ) {}

  async take(org: string, options: TakeOptions = {}): Promise<BudgetDecision> {
    const state = this.state(org);
    const hour = this.hour();
    const cap = this.settings.calls ?? -1;
    const shareLimit = this.shareLimit(state, options.share) ?? -1;
    if (this.link) {
      try {
        const key = `${this.prefix}budget:${org}`;
        const [taken, ...counts] = (await this.link.run((r) =>
          r.eval(TAKE, 1, key, hour, cap, shareLimit, state.others, (WINDOW_HOURS + 1) * HOUR_MS),
        )) as number[];
        state.buckets = new Map(counts.map((n, i) => [hour - WINDOW_HOURS + 1 + i, n]));
        return taken === 1 ? this.allowed(state) : this.refused(state, options.share);
      } catch (err) {
        if (!(err instanceof RedisUnavailable)) throw err;
        // Per-process from here on, continuing from the buckets Redis last gave.
      }
    }
    const count = this.count(state);
    if ((cap >= 0 && count + 1 > cap) || (shareLimit >= 0 && count + state.others + 1 > shareLimit))
      return this.refused(state, options.share);
    state.buckets.set(hour, (state.buckets.get(hour) ?? 0) + 1);
    return this.allowed(state);
  }

  observe(org: string, used: number, max: number): void {
    const state = this.state(org);
    const hour = this.hour();
    const others = Math.max(0, used - this.count(state));
    // Answers arrive out of order: within an hour the largest gap is the truest; a new hour starts over.
    state.others = state.othersHour === hour ? Math.max(state.others, others) : others;
    state.othersHour = hour;
    state.max = max;
  }

  remaining(org: string): number | undefined {
    const state = this.orgs.get(org);
    if (!state) return undefined;
    const limit = this.limitOf(state);
    if (limit === undefined) return undefined;
    const count = this.count(state);
    const shareLeft =
      this.settings.share !== undefined && state.max !== undefined
        ? this.shareLimit(state)! - count - state.others
        : Infinity;
    return Math.max(0, Math.min(limit - count, shareLeft));
  }

  private hour(): number {
    return Math.floor(this.now() / HOUR_MS);
  }

  /** Calls in the rolling window: this hour and the 23 before it. */
  private count(state: OrgState): number {
    const oldest = this.hour() - WINDOW_HOURS + 1;
    let sum = 0;
    for (const [h, n] of state.buckets) {
      if (h >= oldest) sum += n;
      else state.buckets.delete(h);
    }
    return sum;
  }

  private allowed(state: OrgState): BudgetDecision {
    return { ok: true, used: this.count(state), limit: this.limitOf(state) };
  }

  private refused(state: OrgState, share?: number): BudgetDecision {
    return {
      ok: false,
      used: this.count(state),
      limit: this.limitOf(state, share) ?? 0,
      retryAfterSeconds: this.retryAfter(state, share),
    };
  }

  /**
   * Seconds until a call fits again: the oldest buckets leave the window one per hour boundary, so
   * the hint is the boundary at which enough of our calls have left. When our own calls are not what
   * fills it (other clients' usage, a limit of 0), the next hour boundary, when the count is re-read.
   */
  private retryAfter(state: OrgState, share?: number): number {
    const hour = this.hour();
    const count = this.count(state);
    const shareLimit = this.shareLimit(state, share);
    // How many of our counted calls must leave the window before one more fits under every limit.
    const need = Math.max(
      this.settings.calls !== undefined ? count + 1 - this.settings.calls : 0,
      shareLimit !== undefined ? count + state.others + 1 - shareLimit : 0,
    );
    let freed = 0;
    let at = (hour + 1) * HOUR_MS;
    for (let k = 0; k < WINDOW_HOURS && need > 0; k++) {
      freed += state.buckets.get(hour - WINDOW_HOURS + 1 + k) ?? 0;
      if (freed >= need) {
        at = (hour + 1 + k) * HOUR_MS;
        break;
      }
    }
    return Math.max(1, Math.ceil((at - this.now()) / 1000));
  }

  private limitOf(state: OrgState, share?: number): number | undefined {
    const limits = [this.settings.calls, this.shareLimit(state, share)].filter((l): l is number => l !== undefined);
    return limits.length > 0 ? Math.min(...limits) : undefined;
  }

  /** The org's usage limit from the configured share and the caller's own, whichever is smaller. */
  private shareLimit(state: OrgState, own?: number): number | undefined {
    const shares = [this.settings.share, own].filter((s): s is number => s !== undefined);
    return shares.length > 0 && state.max !== undefined ? Math.floor(Math.min(...shares) * state.max) : undefined;
  }

  private state(org: string): OrgState {
    let state = this.orgs.get(org);
    if (!state) {
      state = { buckets: new Map(), others: 0 };
      this.orgs.set(org, state);
      if (this.orgs.size > MAX_ORGS) this.orgs.delete(this.orgs.keys().next().value as string);
    }
    return state;
  }
}
