// One run of one source: log in (the delivery layer's auth and host allowlist), discover, then sync
// each collection in turn. A collection's failure is reported with it and the others go on; a budget
// stop ends the run cleanly with every committed page kept.
import { Authenticator, type Credentials } from '../deliver/auth.js';
import { HostAllowlist } from '../deliver/host-allowlist.js';
import { RestSalesforceClient } from '../deliver/salesforce-client.js';
import { BudgetedClient, BudgetStop, type ApiUsage } from './api-budget.js';
import { collectionsOf, type Collection } from './collections.js';
import { discover } from './discover.js';
import type { SourceConfig } from './source-config.js';
import { syncCollection } from './sync-collection.js';
import type { Warehouse } from './warehouse.js';

export interface RunRequest {
  /** --collections: only these. */
  only?: string[];
  /** --full-refresh: these collections ignore their cursor (true: all of them). */
  fullRefresh?: string[] | true;
  /** The naive way, for the bench: REST only, one describe per object. */
  naive?: boolean;
}

export type CollectionStatus = 'synced' | 'skipped' | 'failed' | 'not run';

export interface CollectionSummary {
  collection: string;
  object: string;
  status: CollectionStatus;
  upserted: number;
  deleted: number;
  calls: number;
  seconds: number;
  kind?: 'incremental' | 'full';
  via?: string[];
  addedColumns?: string[];
  message?: string;
  notices: string[];
}

export interface RunSummary {
  source: string;
  schema: string;
  warehouse: string;
  startedAt: string;
  seconds: number;
  calls: number;
  apiUsage?: ApiUsage;
  /** Why the run stopped early (budget), when it did. */
  stopped?: string;
  /** Why nothing could sync (login refused, warehouse unreachable). */
  error?: string;
  collections: CollectionSummary[];
}

export interface RunHooks {
  onCollectionStart?(collection: Collection): void;
  onProgress?(collection: Collection, written: number, total?: number): void;
  onCollectionEnd?(summary: CollectionSummary): void;
}

export function clientFor(source: SourceConfig, env: NodeJS.ProcessEnv = process.env): BudgetedClient {
  const allowlist = new HostAllowlist([...(env.ALLOWED_SALESFORCE_HOSTS ?? '').split(','), ...source.allowedHosts]);
  const auth = new Authenticator(
    { clientId: source.clientId ?? env.SALESFORCE_CLIENT_ID, clientSecret: source.clientSecret ?? env.SALESFORCE_CLIENT_SECRET, timeoutMs: source.timeoutMs },
    allowlist,
  );
  const refusal = auth.refusal(source.credentials);
  if (refusal) throw new Error(`credentials of source "${source.nickname}": ${refusal}`);
  const creds: Credentials = source.credentials;
  return new BudgetedClient(new RestSalesforceClient(auth.bind(creds), source.apiVersion, source.timeoutMs), source.budgetShare);
}

export async function runSource(
  source: SourceConfig,
  warehouse: Warehouse,
  request: RunRequest = {},
  hooks: RunHooks = {},
  client: BudgetedClient = clientFor(source),
  now: () => Date = () => new Date(),
): Promise<RunSummary> {
  const started = now();
  const t0 = performance.now();
  const collections = collectionsOf({ include: source.collections, customObjects: source.customObjects, only: request.only });
  const refresh = request.fullRefresh === true ? new Set(collections.map((c) => c.name)) : new Set(request.fullRefresh ?? []);
  const summary: RunSummary = {
    source: source.nickname, schema: source.schema, warehouse: warehouse.label, startedAt: started.toISOString(), seconds: 0, calls: 0, collections: [],
  };
  const base = (c: Collection, status: CollectionStatus, message?: string): CollectionSummary => ({
    collection: c.name, object: c.object, status, upserted: 0, deleted: 0, calls: 0, seconds: 0, notices: [], ...(message ? { message } : {}),
  });
  const finish = () => {
    summary.seconds = round((performance.now() - t0) / 1000);
    summary.calls = client.calls;
    summary.apiUsage = client.usage;
    return summary;
  };

  let states;
  let discovery;
  try {
    states = await warehouse.readStates(source.schema);
    discovery = await discover(client, collections, { describeOneByOne: request.naive });
  } catch (err) {
    const message = (err as Error).message;
    if (err instanceof BudgetStop) summary.stopped = message;
    else summary.error = `source "${source.nickname}": ${message}`;
    summary.collections = collections.map((c) => base(c, 'not run'));
    return finish();
  }

  for (const c of collections) {
    if (summary.stopped) {
      summary.collections.push(base(c, 'not run', 'the run stopped for the API budget before this collection'));
      continue;
    }
    const skipped = discovery.skipped.get(c.name);
    const problem = discovery.problems.get(c.name);
    const described = discovery.described.get(c.name);
    if (skipped || problem || !described) {
      const s = base(c, skipped ? 'skipped' : 'failed', skipped ?? problem ?? 'not described');
      summary.collections.push(s);
      hooks.onCollectionEnd?.(s);
      continue;
    }
    hooks.onCollectionStart?.(c);
    const callsBefore = client.calls;
    const c0 = performance.now();
    let s: CollectionSummary;
    try {
      const r = await syncCollection(
        {
          client, warehouse, schema: source.schema,
          options: { plan: { ...source.plan, fullRefresh: refresh.has(c.name) }, bulk: source.bulk, bulkThreshold: source.bulkThreshold, restOnly: request.naive === true },
          onProgress: (written, total) => hooks.onProgress?.(c, written, total),
        },
        c, described, states.get(c.name), started,
      );
      s = { ...base(c, 'synced'), upserted: r.upserted, deleted: r.deleted, kind: r.kind, via: r.via, addedColumns: r.addedColumns, notices: r.notices };
    } catch (err) {
      if (err instanceof BudgetStop) summary.stopped = err.message;
      s = base(c, err instanceof BudgetStop ? 'not run' : 'failed', `${c.name}: ${(err as Error).message}`);
    }
    s.calls = client.calls - callsBefore;
    s.seconds = round((performance.now() - c0) / 1000);
    summary.collections.push(s);
    hooks.onCollectionEnd?.(s);
  }
  await rememberRun(warehouse, source.schema, summary, started);
  return finish();
}

/** Each collection's last run, kept with its state for `sfmap source status`. */
async function rememberRun(warehouse: Warehouse, schema: string, summary: RunSummary, started: Date): Promise<void> {
  const states = await warehouse.readStates(schema);
  for (const c of summary.collections) {
    if (c.status === 'not run') continue;
    const lastRun = { at: started.toISOString(), upserted: c.upserted, deleted: c.deleted, calls: c.calls, seconds: c.seconds, ...(c.status !== 'synced' ? { error: c.message } : {}) };
    await warehouse.commit({ schema, table: c.collection, columns: [], rows: [], bulk: false, state: { collection: c.collection, value: { ...states.get(c.collection), lastRun } } });
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
