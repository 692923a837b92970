// Every Salesforce call a sync makes goes through here: it counts calls, reads the org's usage from
// the Sforce-Limit-Info header of every answer, and stops the run cleanly — before the call, not
// after — once the configured share of the daily quota is used. A 403 REQUEST_LIMIT_EXCEEDED stops
// the run too: retrying would only burn what is left of the quota.
import type { SalesforceClient, SfRequest, SfResponse } from '../deliver/salesforce-client.js';
import { parseLimitInfo, type ApiUsage } from '../salesforce/limit-info.js';

export type { ApiUsage };

/** The run must stop here; its state is committed, the next run resumes. */
export class BudgetStop extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetStop';
  }
}

function isLimitExceeded(res: SfResponse): boolean {
  if (res.status !== 403) return false;
  const list = Array.isArray(res.body) ? res.body : [res.body];
  return list.some((e) => typeof e === 'object' && e !== null && (e as { errorCode?: unknown }).errorCode === 'REQUEST_LIMIT_EXCEEDED');
}

export class BudgetedClient implements SalesforceClient {
  /** Calls made through this client (each one counts against the org's daily quota). */
  calls = 0;
  usage?: ApiUsage;

  /** `share`: the part of the daily quota a run may use up to (0.8 = stop at 80 %). */
  constructor(private readonly inner: SalesforceClient, private readonly share: number) {}

  get apiVersion(): string {
    return this.inner.apiVersion;
  }

  get instanceUrl(): string {
    return this.inner.instanceUrl;
  }

  async request(req: SfRequest): Promise<SfResponse> {
    if (this.usage && this.usage.used >= this.share * this.usage.max) {
      throw new BudgetStop(`stopped at ${this.usage.used}/${this.usage.max} API calls used today (the budget is ${Math.round(this.share * 100)} % of the org's daily quota)`);
    }
    this.calls++;
    const res = await this.inner.request(req);
    this.usage = parseLimitInfo(res.headers['sforce-limit-info']) ?? this.usage;
    if (isLimitExceeded(res)) {
      throw new BudgetStop('Salesforce refused the call: REQUEST_LIMIT_EXCEEDED (the org\'s daily API quota is used up); the next run resumes');
    }
    return res;
  }
}
