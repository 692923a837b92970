// The one rule for Salesforce API names (objects, fields) and REST API versions. The loader,
// /transform, /proxy, the SOQL builder and the path builder all ask here, so a name or a version
// accepted by one is accepted by all, and a refusal is a typed error a route turns into a 400 —
// never a 500 that the router would retry forever. The JSON Schemas spell the same pattern
// (`API_NAME_PATTERN`); test/salesforce/api-names.test.ts checks they do.

/** A Salesforce API name: a letter, then letters, digits and underscores. */
export const API_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_]*$';
const API_NAME = new RegExp(API_NAME_PATTERN);
// A few hundred characters is far beyond any real API name (40 + namespace + suffix); longer
// input is garbage or an attack, and refusing it keeps error messages short. The mapping schema's
// identifier says the same (`maxLength`), so a rule with such a name is refused when it loads.
export const MAX_API_NAME_LENGTH = 255;

/** `66.0`: two or three digits, a dot, one digit (Salesforce has no API version below 20.0). */
const API_VERSION = /^\d{2,3}\.\d$/;
const MIN_API_VERSION = 20;

/** The REST API version used when a destination does not choose one. */
export const DEFAULT_API_VERSION = '66.0';

/** A name that is not a Salesforce API name. `errorCode` is what a route reports with its 400. */
export class ApiNameError extends Error {
  readonly errorCode = 'INVALID_API_NAME';
  readonly statusCode = 400;
  constructor(
    message: string,
    readonly what: string,
  ) {
    super(message);
    this.name = 'ApiNameError';
  }
}

/** A value that is not a Salesforce REST API version. */
export class ApiVersionError extends Error {
  readonly errorCode = 'INVALID_API_VERSION';
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = 'ApiVersionError';
  }
}

export interface ApiNameOptions {
  /** Accept a relationship path (`Account.Owner.Email`): dot-separated API names. */
  allowPath?: boolean;
}

// The same few object and field names are checked for every event (each lookup and path asks), and
// a regex per name per event is a measurable share of /transform's CPU: remember the valid ones.
// Bounded, since routed names come from events.
const CHECKED_NAMES = new Set<string>();
const MAX_CHECKED_NAMES = 10_000;

// A string argument is not narrowed (the negative branch would be `never`).
export function isApiName(name: string): boolean;
export function isApiName(name: unknown): name is string;
export function isApiName(name: unknown): boolean {
  return typeof name === 'string' && name.length <= MAX_API_NAME_LENGTH && API_NAME.test(name);
}

/**
 * Returns `name` when it is a valid API name (or a dotted relationship path of them when
 * `allowPath`); throws ApiNameError otherwise. `what` names the thing in the message ("field",
 * "object", "external id field").
 */
export function assertApiName(name: string, what: string, options: ApiNameOptions = {}): string {
  if (CHECKED_NAMES.has(name)) return name;
  if (typeof name !== 'string' || name.length === 0) {
    throw new ApiNameError(`Invalid ${what} name: it must be a non-empty string`, what);
  }
  const parts = options.allowPath ? name.split('.') : [name];
  if (name.length > MAX_API_NAME_LENGTH || !parts.every((p) => API_NAME.test(p))) {
    const shown = JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);
    const rule = options.allowPath
      ? 'letters, digits and underscores, starting with a letter, optionally joined by dots'
      : 'letters, digits and underscores, starting with a letter';
    throw new ApiNameError(`Invalid ${what} name ${shown}: must be ${rule}`, what);
  }
  // A plain name valid once is valid as a name and as a path, whatever it names.
  if (parts.length === 1 && CHECKED_NAMES.size < MAX_CHECKED_NAMES) CHECKED_NAMES.add(name);
  return name;
}

function isApiVersion(version: unknown): version is string {
  return typeof version === 'string' && API_VERSION.test(version) && Number(version) >= MIN_API_VERSION;
}

/**
 * The API version a setting names, as `NN.N` text: `66.0`, `"66.0"` (a number is read the way a
 * person typed it in a dashboard). Throws ApiVersionError naming `where` for anything else.
 */
export function apiVersionOf(value: unknown, where = 'apiVersion'): string {
  const v = typeof value === 'number' && Number.isFinite(value) ? value.toFixed(1) : value;
  if (isApiVersion(v)) return v;
  const shown = typeof value === 'string' && value.length > 20 ? `${value.slice(0, 20)}…` : value;
  throw new ApiVersionError(
    `${where} ${JSON.stringify(shown) ?? String(shown)} is not a Salesforce API version like "${DEFAULT_API_VERSION}"`,
  );
}

/** `version` itself when valid; throws ApiVersionError otherwise (for path builders). */
export function assertApiVersion(version: string): string {
  if (!isApiVersion(version)) {
    throw new ApiVersionError(
      `Invalid Salesforce API version ${JSON.stringify(version)}: expected a form like "${DEFAULT_API_VERSION}"`,
    );
  }
  return version;
}

/**
 * A custom object or field (`Invoice__c`, `Score__c`): it lives in the org, not in the shipped
 * metadata, so the loader takes it on trust and delivery checks it against the org's describe.
 */
export function isCustomName(name: string): boolean {
  // Ends in `__c` or `__C`, read as character codes: delivery asks this of every field of every
  // write (twice on the rudder-server routes), and a regex costs twice as much per name.
  const n = name.length;
  return (
    n >= 3 &&
    (name.charCodeAt(n - 1) | 0x20) === 0x63 && // c or C
    name.charCodeAt(n - 2) === 0x5f && // _
    name.charCodeAt(n - 3) === 0x5f
  );
}
