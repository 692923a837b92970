// A destination's way into its org, for the rudder-server routes: the same credentials reading,
// host allowlist, token cache and REST client as POST /proxy (src/deliver), so a session logged in
// for one route serves the others.
import { authSettingsFromEnv, Authenticator, credentialsOf, CredentialsError, type AuthSettings, type Credentials } from '../deliver/auth.js';
import { HostAllowlist } from '../deliver/host-allowlist.js';
import { RestSalesforceClient, type SessionSource } from '../deliver/salesforce-client.js';
import type { Session } from '../deliver/token-cache.js';
import { ApiVersionError, apiVersionOf, DEFAULT_API_VERSION } from '../salesforce/api-names.js';

export interface DeliveryDeps {
  auth: Authenticator;
  settings: AuthSettings;
}

export function deliveryDepsFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryDeps {
  const settings = authSettingsFromEnv(env);
  return { settings, auth: new Authenticator(settings, HostAllowlist.fromEnv(env)) };
}

export interface Access {
  creds: Credentials;
  apiVersion: string;
  /** Jobs with the same key share one session and one executor run. */
  key: string;
}

export interface AccessProblem {
  problem: string;
  errorCode: string;
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
    if (err instanceof CredentialsError) return { problem: err.message, errorCode: 'NO_CREDENTIALS' };
    throw err;
  }
  const refusal = deps.auth.refusal(creds);
  if (refusal !== undefined) return { problem: refusal, errorCode: 'HOST_NOT_ALLOWED' };
  return { creds, apiVersion, key: `${deps.auth.keyOf(creds)}|${apiVersion}` };
}

/** A REST client for the destination, and the session it used last (renewed or not). */
export async function openClient(access: Access, deps: DeliveryDeps): Promise<{ client: RestSalesforceClient; session: () => Session }> {
  const source = deps.auth.bind(access.creds);
  let latest = await source.current();
  const tracked: SessionSource = {
    current: async () => (latest = await source.current()),
    renew: async (stale) => (latest = await source.renew(stale)),
  };
  return { client: new RestSalesforceClient(tracked, access.apiVersion, deps.settings.timeoutMs, latest), session: () => latest };
}
