// The org's rolling 24-hour allowances: DailyApiRequests (every authenticated REST call, answered
// back in `Sforce-Limit-Info: api-usage=N/M`) and DailyBulkV2QueryJobs. Past the daily maximum,
// Salesforce refuses API calls with 403 REQUEST_LIMIT_EXCEEDED until usage rolls off; tests set
// max and used directly (POST /__emulator/limits) to reach that point without thousands of calls.

import { SfApiError } from './errors.js';

export interface DailyLimitSettings {
  /** DailyApiRequests Max (a Developer Edition org has 15,000; Enterprise far more). */
  apiMax: number;
  /** Calls already used today. */
  apiUsed: number;
  /** DailyBulkV2QueryJobs Max (Salesforce: 10,000 per rolling 24 hours). */
  bulkQueryJobsMax: number;
  bulkQueryJobsUsed: number;
}

const DEFAULTS: DailyLimitSettings = { apiMax: 15000, apiUsed: 0, bulkQueryJobsMax: 10000, bulkQueryJobsUsed: 0 };

export class DailyLimits {
  private current: DailyLimitSettings = { ...DEFAULTS };

  reset(): void {
    this.current = { ...DEFAULTS };
  }

  get settings(): DailyLimitSettings {
    return { ...this.current };
  }

  /** Changes some of the counters; throws on anything but non-negative integers. */
  set(changes: Partial<DailyLimitSettings>): DailyLimitSettings {
    const next = { ...this.current };
    for (const key of Object.keys(DEFAULTS) as (keyof DailyLimitSettings)[]) {
      const value = (changes as Record<string, unknown>)[key];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
        throw new Error(`limit ${key} must be a non-negative integer`);
      next[key] = value;
    }
    for (const key of Object.keys(changes)) {
      if (!(key in DEFAULTS)) throw new Error(`unknown limit ${key} (known: ${Object.keys(DEFAULTS).join(', ')})`);
    }
    this.current = next;
    return this.settings;
  }

  /** Called before an API request runs: refuses it once the day's calls are used up. */
  admit(): void {
    if (this.current.apiUsed >= this.current.apiMax) {
      throw new SfApiError(403, 'REQUEST_LIMIT_EXCEEDED', `TotalRequests Limit exceeded.`);
    }
  }

  count(): void {
    this.current.apiUsed++;
  }

  /** A new Bulk 2.0 query job; refused past DailyBulkV2QueryJobs. */
  admitBulkQueryJob(): void {
    if (this.current.bulkQueryJobsUsed >= this.current.bulkQueryJobsMax) {
      throw new SfApiError(
        400,
        'LIMIT_EXCEEDED',
        'Max number of Bulk API 2.0 query jobs exceeded for the 24-hour period',
      );
    }
    this.current.bulkQueryJobsUsed++;
  }

  header(): string {
    return `api-usage=${this.current.apiUsed}/${this.current.apiMax}`;
  }

  /** GET /limits (a subset of what Salesforce lists, with its names and shape). */
  body(): Record<string, { Max: number; Remaining: number }> {
    const c = this.current;
    return {
      DailyApiRequests: { Max: c.apiMax, Remaining: Math.max(0, c.apiMax - c.apiUsed) },
      DailyBulkV2QueryJobs: {
        Max: c.bulkQueryJobsMax,
        Remaining: Math.max(0, c.bulkQueryJobsMax - c.bulkQueryJobsUsed),
      },
      DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
      DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
      DataStorageMB: { Max: 1024, Remaining: 1024 },
    };
  }
}
