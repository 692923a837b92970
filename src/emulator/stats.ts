// Counts what Salesforce would count against the org's daily API limit: one per authenticated REST
// request (a 200-record collection or a 25-part composite is still one). Token requests are
// counted apart; admin endpoints not at all.

export interface EmulatorStats {
  apiCalls: number;
  tokenRequests: number;
  /** Requests answered by an injected fault instead of the API (not counted in apiCalls). */
  faultsInjected: number;
  /** Per route: `"POST sobjects/Lead"`, `"GET query"`, `"PATCH composite/sobjects"`, ... */
  byPath: Record<string, number>;
}

export class StatsCounter {
  private stats: EmulatorStats = StatsCounter.empty();

  private static empty(): EmulatorStats {
    return { apiCalls: 0, tokenRequests: 0, faultsInjected: 0, byPath: {} };
  }

  apiCall(label: string): void {
    this.stats.apiCalls++;
    this.stats.byPath[label] = (this.stats.byPath[label] ?? 0) + 1;
  }

  tokenRequest(): void {
    this.stats.tokenRequests++;
  }

  faultInjected(): void {
    this.stats.faultsInjected++;
  }

  snapshot(): EmulatorStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = StatsCounter.empty();
  }
}
