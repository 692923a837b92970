// The unknown-field setting, read once for /proxy and the rudder-server delivery routes:
// `destination.Config.unknownFields` per destination, else SALESFORCE_UNKNOWN_FIELDS for the
// server, else `drop`. Also how long a describe answer is trusted (SALESFORCE_DESCRIBE_TTL_SECONDS).
import { UNKNOWN_FIELD_POLICIES, type UnknownFieldPolicy } from '../plan/org-fields.js';
import { DEFAULT_DESCRIBE_TTL_MS, OrgFieldCache, type SharedFieldStore } from './org-field-cache.js';

export class UnknownFieldPolicyError extends Error {}

function policyOf(value: unknown, where: string): UnknownFieldPolicy {
  if (typeof value === 'string' && (UNKNOWN_FIELD_POLICIES as readonly string[]).includes(value))
    return value as UnknownFieldPolicy;
  throw new UnknownFieldPolicyError(
    `${where} must be one of ${UNKNOWN_FIELD_POLICIES.map((p) => `"${p}"`).join(', ')}, not ${JSON.stringify(value)}`,
  );
}

/** The server's default; a bad value stops the server at start. */
export function unknownFieldPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): UnknownFieldPolicy {
  return env.SALESFORCE_UNKNOWN_FIELDS ? policyOf(env.SALESFORCE_UNKNOWN_FIELDS, 'SALESFORCE_UNKNOWN_FIELDS') : 'drop';
}

/** A destination's policy (undefined: the server's default); throws UnknownFieldPolicyError on a bad value. */
export function unknownFieldPolicyOfConfig(config: unknown): UnknownFieldPolicy | undefined {
  const value =
    typeof config === 'object' && config !== null ? (config as Record<string, unknown>).unknownFields : undefined;
  return value === undefined ? undefined : policyOf(value, 'destination.Config.unknownFields');
}

export function orgFieldCacheFromEnv(env: NodeJS.ProcessEnv = process.env, shared?: SharedFieldStore): OrgFieldCache {
  let ttlMs = DEFAULT_DESCRIBE_TTL_MS;
  if (env.SALESFORCE_DESCRIBE_TTL_SECONDS) {
    const seconds = Number(env.SALESFORCE_DESCRIBE_TTL_SECONDS);
    if (!(seconds > 0))
      throw new Error(
        `SALESFORCE_DESCRIBE_TTL_SECONDS must be a positive number of seconds, not "${env.SALESFORCE_DESCRIBE_TTL_SECONDS}"`,
      );
    ttlMs = seconds * 1000;
  }
  return new OrgFieldCache({ ttlMs, shared });
}
