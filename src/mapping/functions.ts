// Helper functions mapping expressions may call. Each is written once as plain JS and used by both
// evaluators: the fast path calls it directly, JSONata gets it registered (same behaviour either way).

type Fn = (...args: any[]) => unknown;

export interface HelperFunction {
  impl: Fn;
  /** JSONata signature (https://docs.jsonata.org/embedding-extending#function-signature-syntax). */
  signature?: string;
}

const words = (s: unknown): string[] =>
  typeof s === 'string'
    ? s
        .trim()
        .split(/\s+/)
        .filter((w) => w.length > 0)
    : [];

const isPresent = (v: unknown) => v !== undefined && v !== null && v !== '';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Parse an ISO date/datetime or epoch milliseconds; undefined when it is not a date. */
function toDate(v: unknown): Date | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v);
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const d = new Date(v.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export const helperFunctions: Record<string, HelperFunction> = {
  /** First argument that is present (not undefined, null or ''). Unlike `??`, skips null and ''. */
  coalesce: { impl: (...args: unknown[]) => args.find(isPresent) },
  /** First word of a full name: "Peter Gibbons" → "Peter". */
  firstWord: { impl: (s: unknown) => words(s)[0], signature: '<x-:s>' },
  /** Everything after the first word, only when there is more than one word: "Ada King Lovelace" → "King Lovelace". */
  restWords: {
    impl: (s: unknown) => {
      const w = words(s);
      return w.length > 1 ? w.slice(1).join(' ') : undefined;
    },
    signature: '<x-:s>',
  },
  /** Last word of a full name. */
  lastWord: {
    impl: (s: unknown) => {
      const w = words(s);
      return w.length > 1 ? w[w.length - 1] : undefined;
    },
    signature: '<x-:s>',
  },
  /**
   * `yyyy-MM-dd` from any ISO date or datetime — the calendar date as written, whatever its offset
   * (2024-12-31T23:30:00-05:00 → 2024-12-31) — or from epoch milliseconds (UTC); undefined when
   * not a date.
   */
  dateOnly: {
    impl: (v: unknown) => {
      const d = toDate(v);
      if (!d) return undefined;
      const written = typeof v === 'string' ? /^\s*(\d{4}-\d{2}-\d{2})/.exec(v) : null;
      return written ? written[1] : `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    },
    signature: '<x-:s>',
  },
  /** ISO 8601 datetime in UTC with milliseconds, as Salesforce returns it. */
  dateTime: { impl: (v: unknown) => toDate(v)?.toISOString(), signature: '<x-:s>' },
  /** True when context.externalId has an entry whose `type` starts with the prefix (case-insensitive). */
  hasExternalId: {
    impl: (list: unknown, prefix: unknown) => {
      if (!Array.isArray(list) || typeof prefix !== 'string') return false;
      const p = prefix.toLowerCase();
      return list.some(
        (e) => e !== null && typeof e === 'object' && typeof e.type === 'string' && e.type.toLowerCase().startsWith(p),
      );
    },
  },
  /**
   * True for `true` and the string "true" (any case): RudderStack's own fixtures send flags such as
   * context.mappedToDestination both ways, and a flag sent as text must mean the same thing.
   */
  isTrue: { impl: (v: unknown) => v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true') },
  /** Semicolon-joined text of an array of scalars (a multi-select picklist value); scalars pass through. */
  multiPick: {
    impl: (v: unknown) => (Array.isArray(v) ? v.filter((x) => x !== null && typeof x !== 'object').join(';') : v),
  },
};

/** JSONata built-ins the fast path evaluates itself (with JSONata's semantics). */
const fastBuiltins: Record<string, Fn> = {
  not: (v: unknown) => (v === undefined ? undefined : !jsonataBoolean(v)),
  boolean: (v: unknown) => (v === undefined ? undefined : jsonataBoolean(v)),
  exists: (v: unknown) => v !== undefined,
  lowercase: (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : undefined),
  uppercase: (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : undefined),
  trim: (v: unknown) => (typeof v === 'string' ? v.replace(/[ \t\n\r]+/g, ' ').trim() : undefined),
};

/** The function a fast-path call `$name(...)` runs: a helper, else a built-in; undefined for any other. */
export function fastFunction(name: string): Fn | undefined {
  if (Object.hasOwn(helperFunctions, name)) return helperFunctions[name].impl;
  return Object.hasOwn(fastBuiltins, name) ? fastBuiltins[name] : undefined;
}

/** JSONata's `$boolean` casting rules. */
export function jsonataBoolean(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.some(jsonataBoolean);
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0;
    case 'boolean':
      return v;
    case 'function':
      return false;
    case 'object':
      return Object.keys(v).length > 0;
    default:
      return false;
  }
}
