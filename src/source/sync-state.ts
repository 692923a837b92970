// What a collection's sync remembers between runs. It lives in the warehouse next to the rows and is
// written in the same transaction as each page of them, so it is never ahead of (or behind) the data.

export interface CollectionState {
  /** The cursor field the cursor belongs to; a different field (schema change) means start over. */
  cursorField?: string;
  /** Every row with cursorField < cursor (minus the lookback) is in the warehouse. ISO 8601. */
  cursor?: string;
  /** A Bulk 2.0 query job being read: resume at `locator` after a crash (its results live 7 days). */
  bulk?: { jobId: string; locator: string | null; windowEnd: string; purpose: 'rows' | 'formulas' };
  /** When formula fields were last re-read in full. */
  formulasReadAt?: string;
  /** Last finished run of this collection, for `sfmap source status`. */
  lastRun?: { at: string; upserted: number; deleted: number; calls: number; seconds: number; error?: string };
}
