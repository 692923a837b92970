// POST /proxy: /transform results in, one delivery outcome per item out (CONTRACT.md). Items are
// grouped by destination credentials so each org gets one session and one executor run; every item
// gets exactly one outcome whatever happens to its group.
import type express from 'express';
import type winston from 'winston';
import type { Operation } from '../../operation/operation.js';
import type { ObjectCatalog } from '../../salesforce/object-metadata.js';
import { operationProblem } from '../../operation/validate-operation.js';
import {
  authSettingsFromEnv,
  Authenticator,
  credentialsOf,
  CredentialsError,
  type AuthSettings,
  type Credentials,
} from '../../deliver/auth.js';
import { classifyError, type Outcome } from '../../deliver/classify.js';
import { executeEvents, type EventOutcome } from '../../deliver/execute.js';
import { HostAllowlist } from '../../deliver/host-allowlist.js';
import { RestSalesforceClient, type SalesforceClient } from '../../deliver/salesforce-client.js';
import { ApiVersionError, apiVersionOf, DEFAULT_API_VERSION } from '../../salesforce/api-names.js';
import { AccountedClient } from '../../deliver/accounted-client.js';
import type { OrgFieldCache } from '../../deliver/org-field-cache.js';
import {
  orgFieldCacheFromEnv,
  unknownFieldPolicyFromEnv,
  unknownFieldPolicyOfConfig,
  UnknownFieldPolicyError,
} from '../../deliver/unknown-field-policy.js';
import type { UnknownFieldPolicy } from '../../plan/org-fields.js';
import type { SessionCache } from '../../deliver/token-cache.js';
import { countEvents, deliverySeconds } from '../../observe/metrics.js';
import { ApiBudgetCounter, type ApiBudget } from '../../shared-state/api-budget.js';
import { bodyError, checkItemArray } from '../json-body.js';
import { createLogger, statusCounts } from '../logger.js';
import { sendJson } from '../send-json.js';

export type Execute = (
  events: Array<{ operations: Operation[]; unknownFields?: UnknownFieldPolicy }>,
  client: SalesforceClient,
) => Promise<EventOutcome[]>;

export interface ProxyRouteOptions {
  /** Settings are read from here once, when the route is built (default process.env). */
  env?: NodeJS.ProcessEnv;
  authSettings?: AuthSettings;
  allowlist?: HostAllowlist;
  /** Shared so that tests (or several apps) can count and reuse sessions. */
  authenticator?: Authenticator;
  /** Where sessions live when no authenticator is given (default: this process). */
  sessions?: SessionCache;
  /** Counts and limits Salesforce calls per org (default: counted in this process, no limit). */
  budget?: ApiBudget;
  /** Each org's fields, learned by describe (default: this route's own, SALESFORCE_DESCRIBE_TTL_SECONDS). */
  fieldCache?: OrgFieldCache;
  execute?: Execute;
  /** The object metadata lookups are typed by (the mapping set's catalog, read per request so a reload applies). */
  catalog?: () => ObjectCatalog;
  logger?: winston.Logger;
}

export interface ProxyResultItem extends Partial<Omit<EventOutcome, 'statusCode'>> {
  metadata: unknown;
  statusCode: EventOutcome['statusCode'];
}

interface Accepted {
  index: number;
  creds: Credentials;
  apiVersion: string;
  operations: Operation[];
  unknownFields?: UnknownFieldPolicy;
}

export function proxyRoute(options: ProxyRouteOptions = {}): express.RequestHandler {
  const env = options.env ?? process.env;
  const settings = options.authSettings ?? authSettingsFromEnv(env);
  const allowlist = options.allowlist ?? HostAllowlist.fromEnv(env);
  const auth = options.authenticator ?? new Authenticator(settings, allowlist, options.sessions);
  const budget = options.budget ?? new ApiBudgetCounter({});
  const fieldCache = options.fieldCache ?? orgFieldCacheFromEnv(env);
  const unknownFields = unknownFieldPolicyFromEnv(env);
  const execute: Execute =
    options.execute ??
    ((events, client) => executeEvents(events, client, { catalog: options.catalog?.(), fieldCache, unknownFields }));
  const logger = options.logger ?? createLogger();

  return async (req, res) => {
    const started = Date.now();
    const body: unknown = req.body;
    const refused = checkItemArray(body);
    if (refused || !Array.isArray(body)) {
      sendJson(
        res,
        refused?.status ?? 400,
        refused?.body ?? bodyError('NOT_AN_ARRAY', 'request body must be a JSON array'),
      );
      return;
    }
    const results: ProxyResultItem[] = body.map((item: Record<string, unknown>) => ({
      metadata: withoutSecret(item.metadata),
      statusCode: 500,
    }));
    const settle = (index: number, outcome: Outcome | EventOutcome): void => {
      const out: ProxyResultItem = { metadata: results[index].metadata, statusCode: outcome.statusCode };
      if (outcome.error !== undefined) out.error = outcome.error;
      if (outcome.errorCode !== undefined) out.errorCode = outcome.errorCode;
      if (outcome.authErrorCategory !== undefined) out.authErrorCategory = outcome.authErrorCategory;
      if (outcome.retryAfterSeconds !== undefined) out.retryAfterSeconds = outcome.retryAfterSeconds;
      const written = (outcome as EventOutcome).results;
      if (written !== undefined) out.results = written;
      const skips = (outcome as EventOutcome).skipped;
      if (skips !== undefined) out.skipped = skips;
      results[index] = out;
    };

    const groups = new Map<string, Accepted[]>();
    body.forEach((item: Record<string, unknown>, index) => {
      const accepted = accept(item, index, settings);
      if ('error' in accepted) {
        settle(index, { statusCode: accepted.statusCode ?? 400, error: accepted.error, errorCode: accepted.errorCode });
        return;
      }
      const refusal = auth.refusal(accepted.creds);
      if (refusal !== undefined) {
        settle(index, { statusCode: 400, error: refusal, errorCode: 'HOST_NOT_ALLOWED' });
        return;
      }
      const key = `${auth.keyOf(accepted.creds)}|${accepted.apiVersion}`;
      const group = groups.get(key);
      if (group) group.push(accepted);
      else groups.set(key, [accepted]);
    });

    await Promise.all(
      [...groups.values()].map(async (group) => {
        const { creds, apiVersion } = group[0];
        try {
          const initial = await auth.session(creds);
          const client = new AccountedClient(
            new RestSalesforceClient(auth.bind(creds), apiVersion, settings.timeoutMs, initial),
            budget,
          );
          const outcomes = await execute(
            group.map((g) => ({ operations: g.operations, unknownFields: g.unknownFields })),
            client,
          );
          group.forEach((g, i) => {
            // An executor that loses an event must not make it vanish: it is retried, never dropped.
            settle(
              g.index,
              outcomes[i] ?? {
                statusCode: 500,
                error: 'the executor gave no outcome for this event',
                errorCode: 'NO_OUTCOME',
              },
            );
          });
        } catch (err) {
          const outcome = classifyError(err);
          for (const g of group) settle(g.index, outcome);
        }
      }),
    );

    logger.info('proxy', {
      count: results.length,
      orgs: groups.size,
      durationMs: Date.now() - started,
      statuses: statusCounts(results),
    });
    deliverySeconds.observe((Date.now() - started) / 1000);
    countEvents('proxy', results);
    // The soonest any throttled event may be retried, for routers that read the header rather than the items.
    const hints = results.flatMap((r) =>
      r.statusCode === 429 && r.retryAfterSeconds !== undefined ? [r.retryAfterSeconds] : [],
    );
    if (hints.length > 0) res.set('Retry-After', String(Math.min(...hints)));
    sendJson(res, 200, results);
  };
}

function accept(
  item: Record<string, unknown>,
  index: number,
  settings: AuthSettings,
): Accepted | { error: string; errorCode: string; statusCode?: 500 } {
  const destination = item.destination;
  const config =
    typeof destination === 'object' && destination !== null
      ? (destination as Record<string, unknown>).Config
      : undefined;
  const cfg = typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
  const output = item.output;
  if (!Array.isArray(output) || output.length === 0) {
    return {
      error: `item ${index}: output must be a non-empty array of operations (send only /transform results with statusCode 200)`,
      errorCode: 'INVALID_ITEM',
    };
  }
  for (const [i, op] of output.entries()) {
    const problem = operationProblem(op);
    if (problem) return { error: `item ${index}: output[${i}] ${problem}`, errorCode: 'INVALID_OPERATION' };
  }
  let apiVersion: string;
  try {
    apiVersion = apiVersionOf(cfg.apiVersion ?? DEFAULT_API_VERSION, 'destination.Config.apiVersion');
  } catch (err) {
    if (err instanceof ApiVersionError) return { error: `item ${index}: ${err.message}`, errorCode: 'INVALID_CONFIG' };
    throw err;
  }
  let unknownFields: UnknownFieldPolicy | undefined;
  try {
    unknownFields = unknownFieldPolicyOfConfig(cfg);
  } catch (err) {
    if (err instanceof UnknownFieldPolicyError)
      return { error: `item ${index}: ${err.message}`, errorCode: 'INVALID_CONFIG' };
    throw err;
  }
  try {
    return {
      index,
      creds: credentialsOf(item.metadata, cfg, settings),
      apiVersion,
      operations: output as Operation[],
      unknownFields,
    };
  } catch (err) {
    if (err instanceof CredentialsError) {
      return err.retryable
        ? { error: `item ${index}: ${err.message}`, errorCode: 'INCOMPLETE_SECRET', statusCode: 500 }
        : { error: `item ${index}: ${err.message}`, errorCode: 'NO_CREDENTIALS' };
    }
    throw err;
  }
}

/** The echo must never carry credentials back: a deep copy, `secret` removed. */
function withoutSecret(metadata: unknown): unknown {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return metadata;
  const copy = structuredClone(metadata) as Record<string, unknown>;
  delete copy.secret;
  return copy;
}
