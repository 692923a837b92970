// Salesforce record Ids: 15 case-sensitive characters, or 18 with a 3-character suffix that
// encodes the case of the first 15, so that case-insensitive systems can tell Ids apart.

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The character code of one of the 3 suffix characters (`chunk` 0-2) of a 15-character Id. */
function suffixCode(id15: string, chunk: number): number {
  let bits = 0;
  for (let i = 0; i < 5; i++) {
    const c = id15.charCodeAt(chunk * 5 + i);
    // Bit i is set when the i-th character of the chunk is an uppercase A-Z.
    if (c >= 65 && c <= 90) bits |= 1 << i;
  }
  return SUFFIX_ALPHABET.charCodeAt(bits);
}

/** The 3-character case-safe suffix of a 15-character Id. */
function caseSuffix(id15: string): string {
  return String.fromCharCode(suffixCode(id15, 0), suffixCode(id15, 1), suffixCode(id15, 2));
}

/**
 * True for a 15-character alphanumeric Id, or an 18-character one whose suffix matches the case
 * of its first 15 characters (a case-mangled 18-character Id fails).
 */
// A string argument is not narrowed (the negative branch would be `never`).
export function isRecordId(s: string): boolean;
export function isRecordId(s: unknown): s is string;
export function isRecordId(s: unknown): boolean {
  // Read character by character: two regular expressions, two slices and a suffix built as text
  // were 5 % of mapping a Contact event (its Id is checked once per operation).
  if (typeof s !== 'string' || (s.length !== 15 && s.length !== 18)) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return false;
  }
  return (
    s.length === 15 ||
    (s.charCodeAt(15) === suffixCode(s, 0) &&
      s.charCodeAt(16) === suffixCode(s, 1) &&
      s.charCodeAt(17) === suffixCode(s, 2))
  );
}

/** The 18-character form of a 15-character Id (an 18-character Id is checked and returned as is). */
export function toRecordId18(id: string): string {
  if (isRecordId(id)) return id.length === 15 ? id + caseSuffix(id) : id;
  throw new Error(`Invalid Salesforce record Id ${JSON.stringify(id)}`);
}

/** Whether two Ids name the same record (15 vs 18 characters, as Salesforce answers with 18). */
export function sameRecordId(a: string, b: string): boolean {
  return isRecordId(a) && isRecordId(b) && a.slice(0, 15) === b.slice(0, 15);
}
