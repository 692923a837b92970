// The emulator as a source org, driven over HTTP from tests in any process (the source sync's
// tests, the bench): fill it, then change it between two syncs. See docs/emulator-source.md.

export interface RowChoice {
  /** These records … */
  ids?: string[];
  /** … or this many live ones, drawn by a seeded choice (default seed 1). */
  count?: number;
  seed?: number;
}

export interface GenerateReport {
  rows: number;
  counts: Record<string, number>;
  ms: number;
}

export interface FieldDefinition {
  name: string;
  type: string;
  length?: number;
  filterable?: boolean;
  calculated?: boolean;
  [more: string]: unknown;
}

export class SourceOrgAdmin {
  constructor(readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/__emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text === '' ? undefined : JSON.parse(text);
    if (!res.ok) throw new Error(`emulator admin ${method} ${path}: ${res.status} ${parsed?.error ?? text}`);
    return parsed as T;
  }

  /** Fills every queryable object with about `rows` related rows (adds to what is there). */
  generate(options: {
    rows: number;
    seed?: number;
    days?: number;
    deletedShare?: number;
    objects?: string[];
  }): Promise<GenerateReport> {
    return this.call('POST', 'source/generate', options);
  }

  counts(): Promise<Record<string, { live: number; deleted: number }>> {
    return this.call('GET', 'source/counts');
  }

  /** Changes rows now (or `at`): LastModifiedDate and SystemModstamp move. Returns their Ids. */
  async update(
    object: string,
    choice: RowChoice & { changes?: Record<string, unknown>; at?: string },
  ): Promise<string[]> {
    return (await this.call<{ ids: string[] }>('POST', `source/update/${encodeURIComponent(object)}`, choice)).ids;
  }

  /** IsDeleted = true and stamps move: queryAll and /deleted see them, query does not. */
  async softDelete(object: string, choice: RowChoice & { at?: string }): Promise<string[]> {
    return (await this.call<{ ids: string[] }>('POST', `source/soft-delete/${encodeURIComponent(object)}`, choice)).ids;
  }

  /** Gone from everything (no recycle bin). */
  async hardDelete(object: string, choice: RowChoice): Promise<string[]> {
    return (await this.call<{ ids: string[] }>('POST', `source/hard-delete/${encodeURIComponent(object)}`, choice)).ids;
  }

  /** A new field on the object; `value` fills existing rows without moving their stamps. */
  async addField(object: string, field: FieldDefinition, value?: unknown): Promise<Record<string, unknown>> {
    return (
      await this.call<{ field: Record<string, unknown> }>('POST', `source/add-field/${encodeURIComponent(object)}`, {
        field,
        value,
      })
    ).field;
  }

  /** Deletes a custom field (its values go with it). */
  async removeField(object: string, name: string): Promise<Record<string, unknown>> {
    return (
      await this.call<{ field: Record<string, unknown> }>('POST', `source/remove-field/${encodeURIComponent(object)}`, {
        name,
      })
    ).field;
  }

  /** New values without moving any stamp (a formula whose definition changed). */
  async setValues(
    object: string,
    choice: RowChoice & { all?: boolean; values: Record<string, unknown> },
  ): Promise<string[]> {
    return (await this.call<{ ids: string[] }>('POST', `source/set-values/${encodeURIComponent(object)}`, choice)).ids;
  }

  /** A row committed late: its SystemModstamp is `secondsAgo` (default 300) behind now, or the given time. */
  lateRow(
    object: string,
    spec: { secondsAgo?: number; systemModstamp?: string; values?: Record<string, unknown> } = {},
  ): Promise<Record<string, unknown> & { Id: string }> {
    return this.call('POST', `source/late-row/${encodeURIComponent(object)}`, spec);
  }

  /** DailyApiRequests: past apiMax every API call answers 403 REQUEST_LIMIT_EXCEEDED. */
  setLimits(limits: {
    apiMax?: number;
    apiUsed?: number;
    bulkQueryJobsMax?: number;
    bulkQueryJobsUsed?: number;
  }): Promise<Record<string, number>> {
    return this.call('POST', 'limits', limits);
  }

  /** Redefines fields (e.g. `{SystemModstamp: {type: 'datetime', filterable: false}}`) or adds a custom object. */
  defineObject(definition: { name: string; fields?: Record<string, Record<string, unknown>> }): Promise<unknown> {
    return this.call('POST', 'objects', definition);
  }

  /** Empty org, zero counters, limits back to default. */
  reset(seed?: number): Promise<unknown> {
    return this.call('POST', 'reset', seed === undefined ? {} : { seed });
  }
}
