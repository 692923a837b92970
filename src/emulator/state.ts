// One emulated org: its objects, records, sessions, faults, Bulk jobs and counters, with typed
// methods so tests can seed, inspect and break it without going through HTTP.

import { DailyLimits } from './api-limits.js';
import { sfDatetime } from './datetime.js';
import { BulkIngest } from './bulk-ingest.js';
import { BulkQuery } from './bulk-query.js';
import { FaultRegistry, type FaultSpec } from './faults.js';
import { Sessions, type EmulatorClient, type EmulatorUser, type TokenResponse } from './oauth.js';
import { generateOrg, type GenerateOptions, type GenerateReport } from './generator.js';
import { OrgMutations } from './mutations.js';
import { ObjectRegistry, type ObjectDefinition } from './object-registry.js';
import { sourceObjects } from './org/source-objects.js';
import { Prng, prngStreams } from './prng.js';
import { QueryEngine } from './query.js';
import { DEFAULT_LOCK_RULES, RecordService, type DuplicateRule, type LockRule, type RecordFault } from './records.js';
import { StatsCounter, type EmulatorStats } from './stats.js';
import { RecordStore, type FieldValues, type StoredRecord } from './store.js';

/** Behaviour that tests may change while the emulator runs (also via POST /__emulator/settings). */
export interface EmulatorSettings {
  /** Rows per query page before nextRecordsUrl (Salesforce: 2000). */
  queryPageSize: number;
  /** How many GETs of an uploaded Bulk job answer InProgress before it completes (default 1). */
  bulkPollsBeforeComplete: number;
  /** Order of Bulk result rows: shuffled by the seeded PRNG (default), reversed, or as uploaded. */
  bulkResultOrder: 'shuffle' | 'reverse' | 'input';
  /** Largest Bulk CSV upload in bytes (Salesforce: 100 MB); larger → 413. */
  bulkMaxUploadBytes: number;
  /** Longest request target (path + query) in bytes before 414 (Salesforce's front end: 16,384). */
  maxUriBytes: number;
  duplicateRules: DuplicateRule[];
  lockRules: LockRule[];
}

export interface EmulatorOptions extends Partial<EmulatorSettings> {
  port?: number;
  host?: string;
  /** Seed of ids, tokens and result shuffles (default 1). */
  seed?: number;
  /**
   * Custom objects and extra custom fields the org has (a real org has them predefined). The
   * standard objects are the org's own (org/source-objects.ts), never the product's descriptions.
   */
  objects?: ObjectDefinition[];
  users?: EmulatorUser[];
  clients?: EmulatorClient[];
  /** Access token lifetime (default 2 hours, Salesforce's default session timeout). */
  tokenTtlMs?: number;
  /** Overrides the instance_url handed out by the token endpoint (default: the emulator's own URL). */
  instanceUrl?: string;
  /** Clock for record timestamps and token expiry. */
  now?: () => Date;
}

export const DEFAULT_USER: EmulatorUser = { username: 'admin@example.com', password: 'pass', securityToken: 'TOKEN' };
export const DEFAULT_CLIENT: EmulatorClient = {
  clientId: 'emulator-client',
  clientSecret: 'emulator-secret',
  runAs: DEFAULT_USER.username,
};

const DEFAULT_SETTINGS: EmulatorSettings = {
  queryPageSize: 2000,
  bulkPollsBeforeComplete: 1,
  bulkResultOrder: 'shuffle',
  bulkMaxUploadBytes: 100 * 1024 * 1024,
  maxUriBytes: 16384,
  duplicateRules: [],
  lockRules: DEFAULT_LOCK_RULES,
};

export class EmulatorState {
  settings: EmulatorSettings;
  registry!: ObjectRegistry;
  readonly store = new RecordStore();
  records!: RecordService;
  queries!: QueryEngine;
  sessions!: Sessions;
  shuffles!: Prng;
  readonly faults = new FaultRegistry();
  recordFaults: RecordFault[] = [];
  readonly stats = new StatsCounter();
  /** DailyApiRequests and friends: what Sforce-Limit-Info and GET /limits report. */
  readonly limits = new DailyLimits();
  readonly bulk: BulkIngest;
  /** Bulk API 2.0 query jobs (jobs/query). */
  readonly bulkQueries: BulkQuery;
  /** Updates, deletes, new fields and late rows between two syncs (also via /__emulator/source/*). */
  readonly mutations = new OrgMutations(this);
  /** Where the emulator listens; set by startEmulator. */
  instanceUrl = 'http://127.0.0.1';
  private seedValue: number;

  constructor(readonly options: EmulatorOptions = {}) {
    this.seedValue = options.seed ?? 1;
    this.settings = pickSettings(options);
    this.bulk = new BulkIngest(this);
    this.bulkQueries = new BulkQuery(this);
    this.build(true);
  }

  get now(): () => Date {
    return this.options.now ?? (() => new Date());
  }

  timestamp(): string {
    return sfDatetime(this.now());
  }

  /**
   * Back to the starting state: no records, no faults, no jobs, zero counters, ids from the seed
   * again. Sessions survive unless `sessions` is true, so a client's cached token keeps working.
   */
  reset(opts: { seed?: number; sessions?: boolean } = {}): void {
    if (opts.seed !== undefined) this.seedValue = opts.seed;
    this.settings = pickSettings(this.options);
    this.store.clear();
    this.faults.clear();
    this.recordFaults = [];
    this.stats.reset();
    this.limits.reset();
    this.bulk.clear();
    this.bulkQueries.clear();
    this.build(opts.sessions === true);
  }

  private build(freshSessions: boolean): void {
    const streams = prngStreams(this.seedValue);
    this.shuffles = streams.shuffles;
    this.registry = new ObjectRegistry(sourceObjects(), this.options.objects ?? []);
    if (freshSessions || !this.sessions) {
      this.sessions = new Sessions(
        streams.tokens,
        this.options.users ?? [DEFAULT_USER],
        this.options.clients ?? [DEFAULT_CLIENT],
        this.options.tokenTtlMs ?? 2 * 60 * 60 * 1000,
        this.now,
      );
    }
    this.records = new RecordService({
      registry: this.registry,
      store: this.store,
      ids: streams.ids,
      now: this.now,
      userId: () => this.sessions.defaultUserId(),
      duplicateRules: () => this.settings.duplicateRules,
      lockRules: () => this.settings.lockRules,
      recordFaults: () => this.recordFaults,
    });
    this.queries = new QueryEngine(
      this.registry,
      this.store,
      this.records,
      streams.shuffles,
      () => this.settings.queryPageSize,
    );
  }

  /** Fills every queryable object with related, realistic rows (deterministic for a seed). */
  generate(options: GenerateOptions): GenerateReport {
    return generateOrg(this, options);
  }

  configure(changes: Partial<EmulatorSettings>): EmulatorSettings {
    this.settings = { ...this.settings, ...pickSettings(changes, false) };
    return this.settings;
  }

  /** Registers a custom object, or extra fields on an existing one. */
  defineObject(def: ObjectDefinition): void {
    this.registry.define(def);
  }

  /**
   * Stores records as given, bypassing validation (converted leads, duplicates, system fields).
   * Field names are made canonical when known; a missing Id is generated.
   */
  seed(objectName: string, records: FieldValues[]): StoredRecord[] {
    const meta = this.registry.get(objectName);
    if (!meta) throw new Error(`unknown object ${objectName}`);
    return records.map((r) => this.records.insertRaw(meta, r));
  }

  /** Every stored record of the object, deleted ones included (IsDeleted true), in creation order. */
  list(objectName: string): StoredRecord[] {
    return this.store.all(objectName).map((r) => ({ ...r }));
  }

  get(objectName: string, id: string): StoredRecord | undefined {
    const r = this.store.get(objectName, id);
    return r ? { ...r } : undefined;
  }

  addFault(spec: FaultSpec): void {
    this.faults.add(spec);
  }

  addRecordFault(fault: RecordFault): void {
    if (!fault || typeof fault.field !== 'string' || typeof fault.statusCode !== 'string') {
      throw new Error('a record fault needs field, value and statusCode');
    }
    this.recordFaults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults.clear();
    this.recordFaults = [];
  }

  /** Every access token issued so far stops working (401 INVALID_SESSION_ID); refresh tokens still work. */
  expireTokens(): void {
    this.sessions.expireAll();
  }

  /** A session without the OAuth dance; with `refreshToken` also a refresh token for the refresh grant. */
  issueToken(opts: { username?: string; clientId?: string; refreshToken?: boolean } = {}): TokenResponse {
    const clientId = opts.clientId ?? this.sessions.clients[0]?.clientId ?? DEFAULT_CLIENT.clientId;
    return this.sessions.issue(
      opts.username ?? (this.options.users ?? [DEFAULT_USER])[0].username,
      clientId,
      this.options.instanceUrl ?? this.instanceUrl,
      opts.refreshToken === true,
    );
  }

  getStats(): EmulatorStats {
    return this.stats.snapshot();
  }
}

function pickSettings(
  from: Partial<EmulatorSettings>,
  withDefaults = true,
): Partial<EmulatorSettings> & EmulatorSettings {
  const out: Partial<EmulatorSettings> = withDefaults ? structuredClone(DEFAULT_SETTINGS) : {};
  const keys = Object.keys(DEFAULT_SETTINGS) as (keyof EmulatorSettings)[];
  for (const key of keys) {
    if (from[key] === undefined) continue;
    const value = from[key];
    if (
      Array.isArray(DEFAULT_SETTINGS[key]) !== Array.isArray(value) ||
      (!Array.isArray(value) && typeof value !== typeof DEFAULT_SETTINGS[key])
    ) {
      throw new Error(`setting ${key} has the wrong type`);
    }
    (out as Record<string, unknown>)[key] = structuredClone(value);
  }
  return out as EmulatorSettings;
}
