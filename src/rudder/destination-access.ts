// A destination's way into its org, for the rudder-server routes: the same credentials reading,
// host allowlist, token cache and REST client as POST /proxy (src/deliver), so a session logged in
// for one route serves the others.
import {
  authSettingsFromEnv,
  Authenticator,
  credentialsOf,
  CredentialsError,
  type AuthSettings,
  type Credentials,
} from '../deliver/auth.js';
import { HostAllowlist } from '../deliver/host-allowlist.js';
import { RestSalesforceClient, type SalesforceClient, type SessionSource } from '../deliver/salesforce-client.js';
import type { Session, SessionCache } from '../deliver/token-cache.js';
import { AccountedClient } from '../deliver/accounted-client.js';
import type { OrgFieldCache } from '../deliver/org-field-cache.js';
import {
  orgFieldCacheFromEnv,
  unknownFieldPolicyFromEnv,
  unknownFieldPolicyOfConfig,
  UnknownFieldPolicyError,
} from '../deliver/unknown-field-policy.js';
import type { UnknownFieldPolicy } from '../plan/org-fields.js';
import { ApiBudgetCounter, type ApiBudget } from '../shared-state/api-budget.js';
import { ApiVersionError, apiVersionOf, DEFAULT_API_VERSION } from '../salesforce/api-names.js';
import { sameJson } from './same-json.js';

export interface DeliveryDeps {
  auth: Authenticator;
  settings: AuthSettings;
  /** Counts (and limits) every Salesforce call per org, as for POST /proxy (default: counted here, no limit). */
  budget?: ApiBudget;
  /** Each org's fields, learned by describe; without it no unknown custom field is left out. */
  fields?: OrgFieldCache;
  /** Destinations that do not set Config.unknownFields get this (SALESFORCE_UNKNOWN_FIELDS, default drop). */
  unknownFields?: UnknownFieldPolicy;
}

/** `shared`: the process's token cache and API budget (src/shared-state), so every route shares them. */
export function deliveryDepsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  shared?: { sessions: SessionCache; budget: ApiBudget; fields?: OrgFieldCache },
): DeliveryDeps {
  const settings = authSettingsFromEnv(env);
  return {
    settings,
    auth: new Authenticator(settings, HostAllowlist.fromEnv(env), shared?.sessions),
    budget: shared?.budget ?? new ApiBudgetCounter({}),
    fields: shared?.fields ?? orgFieldCacheFromEnv(env),
    unknownFields: unknownFieldPolicyFromEnv(env),
  };
}

export interface Access {
  creds: Credentials;
  apiVersion: string;
  /** Jobs with the same key share one session and one executor run. */
  key: string;
  /** Config.unknownFields (undefined: the server's default). */
  unknownFields?: UnknownFieldPolicy;
}

export interface AccessProblem {
  problem: string;
  errorCode: string;
  /** 500 when the router must retry (an incomplete OAuth secret); 400 otherwise. */
  statusCode?: 500;
}

export function accessOf(metadata: unknown, config: unknown, deps: DeliveryDeps): Access | AccessProblem {
  const cfg = typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
  let apiVersion: string;
  try {
    apiVersion = apiVersionOf(cfg.apiVersion ?? DEFAULT_API_VERSION, 'destination.Config.apiVersion');
  } catch (err) {
    if (err instanceof ApiVersionError) return { problem: err.message, errorCode: 'INVALID_CONFIG' };
    throw err;
  }
  let creds: Credentials;
  try {
    creds = credentialsOf(metadata, cfg, deps.settings);
  } catch (err) {
    if (err instanceof CredentialsError) {
      return err.retryable
        ? { problem: err.message, errorCode: 'INCOMPLETE_SECRET', statusCode: 500 }
        : { problem: err.message, errorCode: 'NO_CREDENTIALS' };
    }
    throw err;
  }
  let unknownFields: UnknownFieldPolicy | undefined;
  try {
    unknownFields = unknownFieldPolicyOfConfig(cfg);
  } catch (err) {
    if (err instanceof UnknownFieldPolicyError) return { problem: err.message, errorCode: 'INVALID_CONFIG' };
    throw err;
  }
  const refusal = deps.auth.refusal(creds);
  if (refusal !== undefined) return { problem: refusal, errorCode: 'HOST_NOT_ALLOWED' };
  return { creds, apiVersion, key: `${deps.auth.keyOf(creds)}|${apiVersion}`, unknownFields };
}

/** Distinct (secret, Config) pairs one request's memo keeps; jobs past them are read one by one. */
const MEMO_ENTRIES = 4;

/**
 * accessOf for the jobs of one request. rudder-server sends a destination's jobs together, each with
 * its own copy of the same secret and Config, and reading them (credentials, host check, the HMAC
 * cache key) costs more than mapping the event's fields; equal inputs give the same answer, so each
 * distinct pair is read once. Inputs are compared by value, never used as a map key: raw credentials
 * stay out of every key, and the memo lives only as long as the request that made it.
 */
export function accessMemo(deps: DeliveryDeps): (metadata: unknown, config: unknown) => Access | AccessProblem {
  const seen: Array<{ secret: unknown; config: unknown; access: Access | AccessProblem }> = [];
  return (metadata, config) => {
    const secret =
      typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>).secret : undefined;
    for (const s of seen) if (sameJson(s.secret, secret) && sameJson(s.config, config)) return s.access;
    const access = accessOf(metadata, config, deps);
    if (seen.length < MEMO_ENTRIES) seen.push({ secret, config, access });
    return access;
  };
}

/** A REST client for the destination, and the session it used last (renewed or not). */
export async function openClient(
  access: Access,
  deps: DeliveryDeps,
): Promise<{ client: SalesforceClient; session: () => Session }> {
  const source = deps.auth.bind(access.creds);
  let latest = await source.current();
  const tracked: SessionSource = {
    current: async () => (latest = await source.current()),
    renew: async (stale) => (latest = await source.renew(stale)),
  };
  const rest = new RestSalesforceClient(tracked, access.apiVersion, deps.settings.timeoutMs, latest);
  return { client: new AccountedClient(rest, deps.budget ?? new ApiBudgetCounter({})), session: () => latest };
}
