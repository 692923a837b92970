// destination.Config as the mappings see it ($settings): CONTRACT.md's defaults applied, booleans
// that arrive as "true"/"false" strings normalised, and bad values named precisely.
import { LRUCache } from 'lru-cache';
import { ApiVersionError, apiVersionOf, DEFAULT_API_VERSION } from '../salesforce/api-names.js';
import type { Json, JsonObject } from './event.js';

export interface Settings {
  mapProperties: boolean;
  useContactId: boolean;
  requireIntegrationFlag: boolean;
  sendAddressAsBilling: boolean;
  sendAddressAsShipping: boolean;
  trimToFieldLength: boolean;
  apiVersion: string;
  /** Names of the rules to apply, or inline rules; undefined = every enabled shipped rule. */
  mappings?: Json[];
  /** add (default): `mappings` join the shipped rules that are on; replace: only `mappings` apply. */
  mappingsMode: MappingsMode;
  /**
   * The boolean settings the Config gave itself (true or false), so a rule can tell "on because the
   * destination says so" from "on by default" (`requireIntegrationFlag: true` gates Actions rules too).
   */
  setInConfig: string[];
  [key: string]: Json | undefined;
}

const booleanDefaults = {
  mapProperties: true,
  useContactId: false,
  requireIntegrationFlag: true,
  sendAddressAsBilling: true,
  sendAddressAsShipping: false,
  trimToFieldLength: true,
} as const;

// Credentials never reach a mapping expression, so no rule can copy them into a record.
const secretKeys = new Set([
  'password',
  'initialAccessToken',
  'userName',
  'clientSecret',
  'refreshToken',
  'accessToken',
]);

export type MappingsMode = 'add' | 'replace';
const MAPPINGS_MODES: readonly MappingsMode[] = ['add', 'replace'];

export class SettingsError extends Error {}

// Events of one destination carry equal Config objects: resolve each distinct one once (bounded in
// entries and bytes: a Config may carry inline rules, and 10,000 distinct ones must not grow the heap).
// An entry costs its key and the resolved copy that shares the parsed request's values.
const SETTINGS_CACHE_BYTES = 32 * 1024 * 1024;
const resolved = new LRUCache<string, Settings>({
  max: 500,
  maxSize: SETTINGS_CACHE_BYTES,
  maxEntrySize: SETTINGS_CACHE_BYTES / 8,
  sizeCalculation: (_v, key) => Math.max(1, key.length * 8),
});

// A frozen Config cannot change once resolved, so its settings are kept per object, with no key to
// build; the rudder-server routes hand every job of one destination the same frozen Config.
const byFrozenConfig = new WeakMap<object, Settings>();

/** Resolved settings for a destination.Config; the result is shared and must not be modified. */
export function resolveSettings(config: JsonObject | undefined): Settings {
  if (config === undefined || config === null || typeof config !== 'object' || Array.isArray(config))
    return resolveFresh(config);
  // Most destinations send an empty Config (all defaults): no key to build for those.
  if (isEmpty(config)) return (defaults ??= Object.freeze(resolveFresh({})) as Settings);
  const frozen = Object.isFrozen(config);
  const known = frozen ? byFrozenConfig.get(config) : undefined;
  if (known) return known;
  // Credentials are left out of the key: the cache must not hold secrets beyond the request. Only the
  // top-level ones: a nested key that happens to be named `password` (a field of an inline rule) is
  // part of what the settings are, and two Configs differing there must not share an entry.
  const key = JSON.stringify(config, function (this: unknown, k: string, v: unknown) {
    return this === config && secretKeys.has(k) ? undefined : v;
  });
  let s = resolved.get(key);
  if (!s) {
    s = Object.freeze(resolveFresh(config));
    resolved.set(key, s);
  }
  if (frozen) byFrozenConfig.set(config, s);
  return s;
}

let defaults: Settings | undefined;

function isEmpty(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return false;
  return true;
}

function resolveFresh(config: JsonObject | undefined): Settings {
  const out: Record<string, Json | undefined> = {};
  if (config !== undefined && (config === null || typeof config !== 'object' || Array.isArray(config))) {
    throw new SettingsError('destination.Config must be an object');
  }
  for (const [k, v] of Object.entries(config ?? {})) if (!secretKeys.has(k) && k !== '__proto__') out[k] = v;
  // RudderStack's dashboard writes `mapProperties` but its transformer read `mapProperty`, so the
  // toggle never worked there; honour both spellings, the dashboard's first.
  if (out.mapProperties === undefined && out.mapProperty !== undefined) out.mapProperties = out.mapProperty;
  const given = Object.keys(booleanDefaults).filter((k) => out[k] !== undefined && out[k] !== null && out[k] !== '');
  for (const [k, d] of Object.entries(booleanDefaults)) out[k] = toBoolean(k, out[k], d);
  out.setInConfig = given;
  try {
    out.apiVersion = apiVersionOf(out.apiVersion ?? DEFAULT_API_VERSION, 'destination.Config.apiVersion');
  } catch (err) {
    if (err instanceof ApiVersionError) throw new SettingsError(err.message);
    throw err;
  }
  if (out.mappings !== undefined && out.mappings !== null && !Array.isArray(out.mappings)) {
    throw new SettingsError('destination.Config.mappings must be a list of rule names or inline rules');
  }
  if (out.mappings === null) delete out.mappings;
  const mode = out.mappingsMode ?? 'add';
  if (typeof mode !== 'string' || !(MAPPINGS_MODES as readonly string[]).includes(mode)) {
    throw new SettingsError(
      `destination.Config.mappingsMode ${JSON.stringify(mode)} must be "add" (named rules join the shipped ones) or "replace" (only the named rules apply)`,
    );
  }
  out.mappingsMode = mode;
  if (Array.isArray(out.mappings) && out.mappings.length === 0) {
    throw new SettingsError(
      'destination.Config.mappings is empty: remove it to use the shipped rules, or name at least one rule',
    );
  }
  return out as Settings;
}

function toBoolean(key: string, v: Json | undefined, fallback: boolean): boolean {
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new SettingsError(`destination.Config.${key} must be true or false, not ${JSON.stringify(v)}`);
}
