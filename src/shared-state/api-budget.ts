// How many Salesforce API calls the product may still make for an org today. Every call (delivery
// and source) takes one from the org's counter first: in Redis when REDIS_URL is set (one Lua script,
// so check-and-count is atomic across every process), else in this process. Two limits, either
// optional: a fixed number of calls a day, and a share of the org's own daily allowance as Salesforce
// reports it (Sforce-Limit-Info: api-usage=used/max). Past either, the call is refused with the time
// until the window ends, which delivery turns into a 429 the router backs off on.
import type { RedisLink } from './redis-link.js';
import { RedisUnavailable } from './redis-link.js';

export interface BudgetSettings {
  /** Calls a day the product may make per org (SALESFORCE_API_BUDGET_CALLS). */
  calls?: number;
  /** Share (0–1] of the org's daily allowance the product may use (SALESFORCE_API_BUDGET_SHARE). */
  share?: number;
}

export type BudgetDecision =
  | { ok: true; used: number; limit?: number }
  | { ok: false; used: number; limit: number; retryAfterSeconds: number };

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
    if (!Number.isInteger(calls) || calls < 0) throw new Error(`SALESFORCE_API_BUDGET_CALLS must be a whole number of calls, not "${env.SALESFORCE_API_BUDGET_CALLS}"`);
    settings.calls = calls;
  }
  if (env.SALESFORCE_API_BUDGET_SHARE) {
    const share = Number(env.SALESFORCE_API_BUDGET_SHARE);
    if (!(share > 0 && share <= 1)) throw new Error(`SALESFORCE_API_BUDGET_SHARE must be a number in (0, 1], like 0.5, not "${env.SALESFORCE_API_BUDGET_SHARE}"`);
    settings.share = share;
  }
  return settings;
}

// KEYS[1] the org's counter for the window; ARGV: fixed cap (-1 none), share limit (-1 none), calls
// made by other clients of the org as Salesforce last reported them, window length in ms.
// Returns {1 taken | 0 refused, count}.
const TAKE = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local cap, shareLimit, others = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if cap >= 0 and count + 1 > cap then return {0, count} end
if shareLimit >= 0 and count + others + 1 > shareLimit then return {0, count} end
count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return {1, count}`;

const DAY_MS = 24 * 60 * 60_000;
/** Orgs tracked in memory at once; the oldest is forgotten first (its Redis counter stays exact). */
const MAX_ORGS = 10_000;

interface OrgState {
  window: string;
  /** Calls counted in this window (Redis's count when last seen, plus local ones while it was away). */
  count: number;
  /** Calls the org made that we did not (Salesforce's reported usage minus our count at that moment). */
  others: number;
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
    const cap = this.settings.calls ?? -1;
    const shareLimit = this.shareLimit(state, options.share) ?? -1;
    if (this.link) {
      try {
        const key = `${this.prefix}budget:${org}:${state.window}`;
        const [taken, count] = (await this.link.run((r) => r.eval(TAKE, 1, key, cap, shareLimit, state.others, DAY_MS + 60 * 60_000))) as [number, number];
        state.count = count;
        return taken === 1 ? this.allowed(state) : this.refused(state, options.share);
      } catch (err) {
        if (!(err instanceof RedisUnavailable)) throw err;
        // Per-process from here on, continuing from the last count Redis gave.
      }
    }
    if ((cap >= 0 && state.count + 1 > cap) || (shareLimit >= 0 && state.count + state.others + 1 > shareLimit)) return this.refused(state, options.share);
    state.count++;
    return this.allowed(state);
  }

  observe(org: string, used: number, max: number): void {
    const state = this.state(org);
    // Answers arrive out of order; usage only grows within a day, so the largest gap is the truest.
    state.others = Math.max(state.others, used - state.count);
    state.max = max;
  }

  remaining(org: string): number | undefined {
    const state = this.orgs.get(org);
    if (!state) return undefined;
    const limit = this.limitOf(state);
    if (limit === undefined) return undefined;
    const shareLeft = this.settings.share !== undefined && state.max !== undefined ? this.shareLimit(state)! - state.count - state.others : Infinity;
    return Math.max(0, Math.min(limit - state.count, shareLeft));
  }

  private allowed(state: OrgState): BudgetDecision {
    return { ok: true, used: state.count, limit: this.limitOf(state) };
  }

  private refused(state: OrgState, share?: number): BudgetDecision {
    const windowEnd = Date.parse(`${state.window}T00:00:00Z`) + DAY_MS;
    return { ok: false, used: state.count, limit: this.limitOf(state, share) ?? 0, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - this.now()) / 1000)) };
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

  /** The org's state for the current UTC day (Salesforce's window is a rolling 24 h; a day is the safe side). */
  private state(org: string): OrgState {
    const window = new Date(this.now()).toISOString().slice(0, 10);
    let state = this.orgs.get(org);
    if (!state || state.window !== window) {
      state = { window, count: 0, others: 0, max: state?.max };
      this.orgs.delete(org);
      this.orgs.set(org, state);
      if (this.orgs.size > MAX_ORGS) this.orgs.delete(this.orgs.keys().next().value as string);
    }
    return state;
  }
}
