// The org's own record Id rules, written from Salesforce's documented facts rather than shared with
// the product (src/salesforce/record-id.ts), so that an end-to-end test can catch the product
// getting them wrong: an Id is 15 case-sensitive letters and digits; the 18-character form adds
// three characters, one per 5-character block, each naming which of the block's letters are
// upper case (bit n for the n-th character) in the alphabet A-Z then 0-5.

const BLOCK_CODES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const FIFTEEN = /^[0-9A-Za-z]{15}$/;

/** The three check characters of a 15-character Id. */
function checkCharacters(id15: string): string {
  let out = '';
  for (let block = 0; block < 15; block += 5) {
    const code = [...id15.slice(block, block + 5)].reduce(
      (bits, ch, n) => (/[A-Z]/.test(ch) ? bits + 2 ** n : bits),
      0,
    );
    out += BLOCK_CODES.charAt(code);
  }
  return out;
}

/** A 15-character Id, or an 18-character one whose check characters fit its first 15. */
// A string argument is not narrowed (its negative branch would be `never`).
export function isOrgId(value: string): boolean;
export function isOrgId(value: unknown): value is string;
export function isOrgId(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (value.length === 15) return FIFTEEN.test(value);
  return (
    value.length === 18 && FIFTEEN.test(value.slice(0, 15)) && checkCharacters(value.slice(0, 15)) === value.slice(15)
  );
}

/** The 18-character form Salesforce answers with. */
export function orgId18(id: string): string {
  if (id.length === 15 && FIFTEEN.test(id)) return id + checkCharacters(id);
  if (isOrgId(id)) return id;
  throw new Error(`not a record Id: ${JSON.stringify(id)}`);
}
