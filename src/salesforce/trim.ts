// Salesforce field lengths count characters, not UTF-16 code units: an emoji outside the BMP is
// one character to Salesforce but two units to JavaScript. Cutting by `slice(0, max)` would both
// miscount and, at the boundary, leave half a surrogate pair (an invalid string).

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * `s` cut to at most `max` code points, never splitting a surrogate pair. Returns `s` itself when
 * it already fits.
 */
export function trimToLength(s: string, max: number): string {
  if (!Number.isSafeInteger(max) || max < 0) {
    throw new Error(`Invalid maximum length ${String(max)}: must be a whole number ≥ 0`);
  }
  // Code points ≤ UTF-16 units, so a string short in units is short in characters too.
  if (s.length <= max) return s;
  let i = 0;
  for (let count = 0; count < max && i < s.length; count++) {
    const pair = isHighSurrogate(s.charCodeAt(i)) && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1));
    i += pair ? 2 : 1;
  }
  return i >= s.length ? s : s.slice(0, i);
}
