// The sync's Salesforce client: the delivery layer's own (same auth and host allowlist, same
// accounting), so every call a sync makes is taken from the org's API budget that delivery draws on
// too — shared through Redis when REDIS_URL is set. The org is known before the first call (the
// configured instance URL, or the login's), so even that call is counted against the right org.
// A sync does not fail when the org's allowance is spent: it stops (BudgetStop) with every page so
// far committed, and the next run, or the paused queue, resumes.
import { AccountedClient } from '../deliver/accounted-client.js';
import { Authenticator } from '../deliver/auth.js';
import { HostAllowlist } from '../deliver/host-allowlist.js';
import {
  BudgetExceeded,
  RestSalesforceClient,
  type SalesforceClient,
  type SfRequest,
  type SfResponse,
} from '../deliver/salesforce-client.js';
import type { SessionCache } from '../deliver/token-cache.js';
import type { ApiUsage } from '../salesforce/limit-info.js';
import { ApiBudgetCounter, budgetSettingsFromEnv, type ApiBudget } from '../shared-state/api-budget.js';
import type { SourceConfig } from './source-config.js';

export type { ApiUsage };

/** The run must stop here; its state is committed, the next run resumes. */
export class BudgetStop extends Error {
  /** When the budget says calls are possible again (absent for Salesforce's own refusal). */
  readonly retryAfterSeconds?: number;
  constructor(message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'BudgetStop';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

function isLimitExceeded(res: SfResponse): boolean {
  if (res.status !== 403) return false;
  const list = Array.isArray(res.body) ? res.body : [res.body];
  return list.some(
    (e) => typeof e === 'object' && e !== null && (e as { errorCode?: unknown }).errorCode === 'REQUEST_LIMIT_EXCEEDED',
  );
}

export class SyncClient implements SalesforceClient {
  constructor(
    private readonly inner: AccountedClient,
    private readonly share: number,
  ) {}

  get apiVersion(): string {
    return this.inner.apiVersion;
  }

  get instanceUrl(): string {
    return this.inner.instanceUrl;
  }

  /** Calls made through this client. */
  get calls(): number {
    return this.inner.calls;
  }

  get usage(): ApiUsage | undefined {
    return this.inner.usage;
  }

  async request(req: SfRequest): Promise<SfResponse> {
    let res: SfResponse;
    try {
      res = await this.inner.request(req);
    } catch (err) {
      if (!(err instanceof BudgetExceeded)) throw err;
      const usage = this.inner.usage
        ? `; the org has used ${this.inner.usage.used}/${this.inner.usage.max} API calls`
        : '';
      throw new BudgetStop(
        `stopped at the API budget of ${err.org}: ${err.limit} calls (this source may use ${Math.round(this.share * 100)} % of the org's daily quota, delivery and syncs together${usage}); calls again in ${err.retryAfterSeconds} s`,
        err.retryAfterSeconds,
      );
    }
    if (isLimitExceeded(res)) {
      throw new BudgetStop(
        "Salesforce refused the call: REQUEST_LIMIT_EXCEEDED (the org's daily API quota is used up); the next run resumes",
      );
    }
    return res;
  }
}

export interface SyncClientDeps {
  /** The process's API budget (shared-state/shared-state.ts): in Redis with REDIS_URL, else this process's. */
  budget?: ApiBudget;
  sessions?: SessionCache;
}

/** Logs in when the credentials are a username and password (an access token comes with its instance URL), then counts every call. */
export async function openSyncClient(
  source: SourceConfig,
  deps: SyncClientDeps = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<SyncClient> {
  const allowlist = new HostAllowlist([...(env.ALLOWED_SALESFORCE_HOSTS ?? '').split(','), ...source.allowedHosts]);
  const auth = new Authenticator(
    {
      clientId: source.clientId ?? env.SALESFORCE_CLIENT_ID,
      clientSecret: source.clientSecret ?? env.SALESFORCE_CLIENT_SECRET,
      timeoutMs: source.timeoutMs,
    },
    allowlist,
    deps.sessions,
  );
  const refusal = auth.refusal(source.credentials);
  if (refusal) throw new Error(`credentials of source "${source.nickname}": ${refusal}`);
  const creds = source.credentials;
  const initial =
    creds.kind === 'oauth'
      ? { accessToken: creds.accessToken, instanceUrl: creds.instanceUrl }
      : await auth.session(creds);
  const rest = new RestSalesforceClient(auth.bind(creds), source.apiVersion, source.timeoutMs, initial);
  const budget = deps.budget ?? new ApiBudgetCounter(budgetSettingsFromEnv(env));
  return new SyncClient(new AccountedClient(rest, budget, { share: source.budgetShare }), source.budgetShare);
}
