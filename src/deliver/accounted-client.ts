// Every Salesforce call passes here: it takes one call from the org's budget first (refused →
// BudgetExceeded, nothing sent), is counted in the metrics, and Salesforce's own usage figures
// (Sforce-Limit-Info) feed the budget back. Wraps any SalesforceClient, so delivery and the
// source sync count the same way.
import { apiCalls, budgetRefusals, budgetRemaining, callKind, orgLabel } from '../observe/metrics.js';
import { parseLimitInfo, type ApiUsage } from '../salesforce/limit-info.js';
import type { ApiBudget, TakeOptions } from '../shared-state/api-budget.js';
import { BudgetExceeded, type SalesforceClient, type SfRequest, type SfResponse } from './salesforce-client.js';

/** The org a client talks to, as a label: the instance host (not secret, bounded by the allowlist and orgLabel). */
export function orgOf(instanceUrl: string): string {
  try {
    return new URL(instanceUrl).host.toLowerCase();
  } catch {
    return 'unknown';
  }
}

export class AccountedClient implements SalesforceClient {
  /** Calls this client made (each one counts against the org's daily allowance). */
  calls = 0;
  /** The org's usage as Salesforce last reported it to this client. */
  usage?: ApiUsage;

  /** `limits`: this caller's own share of the org's allowance, on top of the configured budget. */
  constructor(
    private readonly inner: SalesforceClient,
    private readonly budget: ApiBudget,
    private readonly limits: TakeOptions = {},
  ) {}

  get apiVersion(): string {
    return this.inner.apiVersion;
  }

  get instanceUrl(): string {
    return this.inner.instanceUrl;
  }

  async request(req: SfRequest): Promise<SfResponse> {
    const org = orgOf(this.inner.instanceUrl);
    const label = orgLabel(org);
    const decision = await this.budget.take(org, this.limits);
    if (!decision.ok) {
      budgetRefusals.inc({ org: label });
      budgetRemaining.set({ org: label }, 0);
      throw new BudgetExceeded(org, decision.limit, decision.retryAfterSeconds);
    }
    let status = 'none';
    this.calls++;
    try {
      const res = await this.inner.request(req);
      status = `${Math.floor(res.status / 100)}xx`;
      const usage = parseLimitInfo(res.headers['sforce-limit-info']);
      if (usage) {
        this.usage = usage;
        this.budget.observe(org, usage.used, usage.max);
      }
      return res;
    } finally {
      apiCalls.inc({ org: label, kind: callKind(req.path), status });
      const remaining = this.budget.remaining(org);
      if (remaining !== undefined) budgetRemaining.set({ org: label }, remaining);
    }
  }
}
