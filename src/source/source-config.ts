// The sync's configuration file (YAML or JSON): one warehouse, several sources. Checked against
// schemas/source-config.schema.json and then for meaning (known collections, usable credentials,
// distinct schemas), every problem at file:line:col like the mapping files.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import type { Credentials } from '../deliver/auth.js';
import { schemaProblems } from '../mapping/load-rule.js';
import { formatProblem, type Problem } from '../mapping/problem.js';
import { SourceLocator } from '../mapping/source-locator.js';
import { DEFAULT_API_VERSION } from '../salesforce/api-names.js';
import { DEFAULT_BULK_OPTIONS, type BulkOptions } from './bulk-query-reader.js';
import { collectionsOf, UnknownCollectionError } from './collections.js';
import { DEFAULT_DUCKDB_PATH } from './duckdb-warehouse.js';
import { DEFAULT_PLAN_OPTIONS, type PlanOptions } from './sync-plan.js';

export type WarehouseConfig = { type: 'duckdb'; path: string } | { type: 'postgres'; url: string };

export interface SourceConfig {
  nickname: string;
  schema: string;
  apiVersion: string;
  credentials: Credentials;
  clientId?: string;
  clientSecret?: string;
  allowedHosts: string[];
  collections?: string[];
  customObjects: string[];
  budgetShare: number;
  plan: PlanOptions;
  bulkThreshold: number;
  bulk: BulkOptions;
  timeoutMs: number;
}

export interface SyncConfig {
  file: string;
  warehouse: WarehouseConfig;
  everyHours: number;
  sources: SourceConfig[];
}

const DEFAULT_EVERY_HOURS = 3;

/** The config file cannot be used; carries every problem, each at file:line:col. */
export class SyncConfigError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SyncConfigError';
  }
}

const schemaPath = fileURLToPath(new URL('../../schemas/source-config.schema.json', import.meta.url));
let validator: ValidateFunction | undefined;

type Raw = Record<string, unknown>;

export function loadSyncConfig(file: string, env: NodeJS.ProcessEnv = process.env): SyncConfig {
  return parseSyncConfig(file, readFileSync(file, 'utf8'), env);
}

/** Throws SyncConfigError (every problem, each at file:line:col) when the file cannot be used. */
export function parseSyncConfig(file: string, text: string, env: NodeJS.ProcessEnv = process.env): SyncConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = new SourceLocator(file, text, doc, lines);
  if (doc.errors.length > 0)
    throw new SyncConfigError(doc.errors.map((e) => at.at(e.pos[0], `YAML: ${e.message.split('\n')[0]}`)));
  const data: unknown = doc.toJS();
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(
    JSON.parse(readFileSync(schemaPath, 'utf8')) as object,
  );
  if (!validator(data)) throw new SyncConfigError(byPlace(schemaProblems(validator.errors ?? [], at)));

  const raw = data as Raw;
  const problems: Problem[] = [];
  // ${NAME} in a secret: read from the environment, so config files can be committed without secrets.
  const expand = (value: string, path: (string | number)[]): string =>
    value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
      const v = env[name];
      if (v === undefined) problems.push(at.atPath(path, `environment variable ${name} is not set`));
      return v ?? '';
    });

  const w = raw.warehouse as Raw | undefined;
  let warehouse: WarehouseConfig = { type: 'duckdb', path: DEFAULT_DUCKDB_PATH };
  if (w?.type === 'postgres') {
    if (typeof w.url !== 'string')
      problems.push(at.atPath(['warehouse'], 'warehouse: type postgres needs a url (postgres://user@host:port/db)'));
    else warehouse = { type: 'postgres', url: expand(w.url, ['warehouse', 'url']) };
  } else if (w?.type === 'duckdb') {
    warehouse = { type: 'duckdb', path: typeof w.path === 'string' ? w.path : DEFAULT_DUCKDB_PATH };
  }

  const seenSchemas = new Map<string, number>();
  const sources = (raw.sources as Raw[]).map((s, i): SourceConfig => {
    const path = ['sources', i];
    const schema = s.schema as string;
    if (seenSchemas.has(schema))
      problems.push(
        at.atPath(
          [...path, 'schema'],
          `schema "${schema}" is already used by sources[${seenSchemas.get(schema)}]: each source needs its own`,
        ),
      );
    seenSchemas.set(schema, i);
    for (const [j, name] of ((s.collections as string[] | undefined) ?? []).entries()) {
      try {
        collectionsOf({ only: [name] });
      } catch (err) {
        if (!(err instanceof UnknownCollectionError)) throw err;
        problems.push(at.atPath([...path, 'collections', j], err.message));
      }
    }
    const c = s.credentials as Record<string, string | boolean | undefined>;
    const str = (key: string): string | undefined =>
      typeof c[key] === 'string' && c[key] !== '' ? expand(c[key], [...path, 'credentials', key]) : undefined;
    const loginUrl =
      str('loginUrl') ?? (c.sandbox === true ? 'https://test.salesforce.com' : 'https://login.salesforce.com');
    let credentials: Credentials;
    const accessToken = str('accessToken');
    const instanceUrl = str('instanceUrl');
    const username = str('username');
    const password = str('password');
    if (accessToken !== undefined && instanceUrl !== undefined) {
      credentials = { kind: 'oauth', accessToken, instanceUrl, refreshToken: str('refreshToken'), loginUrl };
    } else if (username !== undefined && password !== undefined) {
      credentials = {
        kind: 'password',
        userName: username,
        password,
        securityToken: str('securityToken') ?? '',
        loginUrl,
      };
    } else {
      problems.push(
        at.atPath(
          [...path, 'credentials'],
          'credentials need username and password (with securityToken, clientId, clientSecret), or accessToken and instanceUrl',
        ),
      );
      credentials = { kind: 'password', userName: '', password: '', securityToken: '', loginUrl };
    }
    const num = (key: string, fallback: number) => (typeof s[key] === 'number' ? s[key] : fallback);
    return {
      nickname: s.nickname as string,
      schema,
      apiVersion: (s.apiVersion as string | undefined) ?? DEFAULT_API_VERSION,
      credentials,
      clientId: str('clientId'),
      clientSecret: str('clientSecret'),
      allowedHosts: (s.allowedHosts as string[] | undefined) ?? [],
      collections: s.collections as string[] | undefined,
      customObjects: (s.customObjects as string[] | undefined) ?? [],
      budgetShare: num('budgetShare', 0.8),
      plan: {
        ...DEFAULT_PLAN_OPTIONS,
        lookbackSeconds: num('lookbackSeconds', DEFAULT_PLAN_OPTIONS.lookbackSeconds),
        formulaRefreshHours: num('formulaRefreshHours', DEFAULT_PLAN_OPTIONS.formulaRefreshHours),
      },
      bulkThreshold: num('bulkThreshold', 10_000),
      bulk: { ...DEFAULT_BULK_OPTIONS, pageRows: num('bulkPageRows', DEFAULT_BULK_OPTIONS.pageRows) },
      timeoutMs: num('timeoutMs', 120_000),
    };
  });
  if (problems.length > 0) throw new SyncConfigError(byPlace(problems));
  const schedule = raw.schedule as Raw | undefined;
  return {
    file,
    warehouse,
    everyHours: typeof schedule?.everyHours === 'number' ? schedule.everyHours : DEFAULT_EVERY_HOURS,
    sources,
  };
}

const byPlace = (problems: Problem[]): Problem[] => problems.slice().sort((a, b) => a.line - b.line || a.col - b.col);
