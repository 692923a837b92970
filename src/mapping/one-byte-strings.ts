// A mapping file with any character beyond Latin-1 (a `→` in a comment) is read as one two-byte
// string, and V8 keeps every name and text cut from it two-byte as well: the rule's name, its
// object, its field names, its literals. One such string in a /transform answer makes
// JSON.stringify write the whole answer in two-byte form, which then costs far more to turn into
// bytes: a Lead answer's serialisation took 5.6 µs per event instead of 3.6 (in process, alternated).
// So the values read from a file are given V8's one-byte form wherever Latin-1 can hold them.

/** A character Latin-1 cannot hold. */
const BEYOND_LATIN1 = /[^\u0000-\u00ff]/; // eslint-disable-line no-control-regex -- NUL is Latin-1 too

/** `s` in one-byte form when every character is Latin-1 (same text either way). */
function oneByte(s: string): string {
  return BEYOND_LATIN1.test(s) ? s : Buffer.from(s, 'latin1').toString('latin1');
}

/**
 * The value YAML gave (plain objects, arrays, scalars) with its strings, keys included, in one-byte
 * form where they can be. Own `__proto__` keys stay own keys; anything else is returned as it is.
 */
export function oneByteStrings(value: unknown): unknown {
  if (typeof value === 'string') return oneByte(value);
  if (Array.isArray(value)) return value.map(oneByteStrings);
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, oneByte(k), {
      value: oneByteStrings(v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
