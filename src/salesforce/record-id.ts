// Salesforce record Ids: 15 case-sensitive characters, or 18 with a 3-character suffix that
// encodes the case of the first 15, so that case-insensitive systems can tell Ids apart.

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ALNUM_15 = /^[A-Za-z0-9]{15}$/;
const ALNUM_18 = /^[A-Za-z0-9]{18}$/;

/** The 3-character case-safe suffix of a 15-character Id. */
function caseSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      // Bit i is set when the i-th character of the chunk is an uppercase A-Z.
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/**
 * True for a 15-character alphanumeric Id, or an 18-character one whose suffix matches the case
 * of its first 15 characters (a case-mangled 18-character Id fails).
 */
// A string argument is not narrowed (the negative branch would be `never`).
export function isRecordId(s: string): boolean;
export function isRecordId(s: unknown): s is string;
export function isRecordId(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  if (ALNUM_15.test(s)) return true;
  return ALNUM_18.test(s) && caseSuffix(s.slice(0, 15)) === s.slice(15);
}

/** The 18-character form of a 15-character Id (an 18-character Id is checked and returned as is). */
export function toRecordId18(id: string): string {
  if (ALNUM_15.test(id)) return id + caseSuffix(id);
  if (isRecordId(id)) return id;
  throw new Error(`Invalid Salesforce record Id ${JSON.stringify(id)}`);
}

/** Whether two Ids name the same record (15 vs 18 characters, as Salesforce answers with 18). */
export function sameRecordId(a: string, b: string): boolean {
  return isRecordId(a) && isRecordId(b) && a.slice(0, 15) === b.slice(0, 15);
}
