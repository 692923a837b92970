// The SOQL subset the product and the source sync emit:
// SELECT fields | COUNT() FROM Object [WHERE condition] [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n].
// Conditions: field = / != / <> / < / <= / > / >= literal, field [NOT] IN (literals), NOT,
// AND / OR with parentheses. Like real SOQL, AND and OR may not be mixed at one level without
// parentheses. Anything else is MALFORMED_QUERY, so the product cannot come to rely on SOQL the
// emulator understands and Salesforce does not.

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface FieldRef {
  name: string;
  pos: number;
}

export type Condition =
  | { kind: 'compare'; field: FieldRef; op: CompareOp; value: Literal }
  | { kind: 'in'; field: FieldRef; negated: boolean; values: Literal[] }
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition };

export interface OrderItem {
  field: FieldRef;
  descending: boolean;
  /** SOQL's default: nulls first when ascending, last when descending. */
  nullsLast: boolean;
}

export interface SoqlQuery {
  fields: FieldRef[];
  /** `SELECT COUNT() FROM ...`: totalSize only, no records. */
  count?: boolean;
  object: FieldRef;
  where?: Condition;
  orderBy?: OrderItem[];
  limit?: number;
}

export class SoqlSyntaxError extends Error {
  constructor(
    readonly soql: string,
    readonly pos: number,
    detail: string,
  ) {
    super(formatAt(soql, pos, detail));
  }
}

/** Salesforce's way of pointing at the problem: the query, a caret, then Row/Column. */
export function formatAt(soql: string, pos: number, detail: string): string {
  const before = soql.slice(0, pos).split('\n');
  const row = before.length;
  const col = before[before.length - 1].length + 1;
  const line = soql.split('\n')[row - 1] ?? '';
  return `\n${line}\n${' '.repeat(col - 1)}^\nERROR at Row:${row}:Column:${col}\n${detail}`;
}

type Token =
  | { t: 'ident'; text: string; pos: number }
  | { t: 'string'; value: string; pos: number }
  | { t: 'number'; value: number; text: string; pos: number }
  | { t: 'date'; value: string; pos: number }
  | { t: 'punct'; text: string; pos: number }
  | { t: 'eof'; pos: number };

const ESCAPES: Record<string, string> = { "'": "'", '\\': '\\', '"': '"', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
const DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2}))?/;

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const c = soql[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_]/.test(c)) {
      while (i < soql.length && /[A-Za-z0-9_.]/.test(soql[i])) i++;
      tokens.push({ t: 'ident', text: soql.slice(start, i), pos: start });
      continue;
    }
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= soql.length) throw new SoqlSyntaxError(soql, start, `Unterminated string literal`);
        const ch = soql[i];
        if (ch === "'") break;
        if (ch === '\\') {
          const next = soql[i + 1];
          if (next === undefined || !(next in ESCAPES)) {
            throw new SoqlSyntaxError(
              soql,
              i,
              `Invalid string literal '${soql.slice(start + 1, i + 2)}'. Illegal character sequence '\\${next ?? ''}' in string literal.`,
            );
          }
          value += ESCAPES[next];
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      i++;
      tokens.push({ t: 'string', value, pos: start });
      continue;
    }
    const date = DATE.exec(soql.slice(i));
    if (date) {
      i += date[0].length;
      tokens.push({ t: 'date', value: date[0], pos: start });
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?/.exec(soql.slice(i));
    if (num) {
      i += num[0].length;
      tokens.push({ t: 'number', value: Number(num[0]), text: num[0], pos: start });
      continue;
    }
    const punct = /^(?:!=|<>|<=|>=|[=<>(),])/.exec(soql.slice(i));
    if (punct) {
      i += punct[0].length;
      tokens.push({ t: 'punct', text: punct[0] === '<>' ? '!=' : punct[0], pos: start });
      continue;
    }
    throw new SoqlSyntaxError(soql, start, `line 1:${start} no viable alternative at character '${c}'`);
  }
  tokens.push({ t: 'eof', pos: soql.length });
  return tokens;
}

const RESERVED = new Set([
  'select',
  'from',
  'where',
  'order',
  'by',
  'limit',
  'and',
  'or',
  'not',
  'in',
  'null',
  'true',
  'false',
]);

export function parseSoql(soql: string): SoqlQuery {
  const tokens = tokenize(soql);
  let k = 0;
  const peek = (): Token => tokens[k];
  const describe = (tok: Token): string =>
    tok.t === 'eof'
      ? '<EOF>'
      : tok.t === 'string'
        ? `'${tok.value}'`
        : 'text' in tok
          ? tok.text
          : String((tok as { value: unknown }).value);
  const unexpected = (tok: Token): never => {
    throw new SoqlSyntaxError(soql, tok.pos, `unexpected token: ${describe(tok)}`);
  };
  const isKeyword = (tok: Token, word: string): boolean => tok.t === 'ident' && tok.text.toLowerCase() === word;
  const expectKeyword = (word: string): void => {
    if (!isKeyword(peek(), word)) unexpected(peek());
    k++;
  };
  const isPunct = (tok: Token, text: string): boolean => tok.t === 'punct' && tok.text === text;
  const expectPunct = (text: string): void => {
    if (!isPunct(peek(), text)) unexpected(peek());
    k++;
  };
  const identifier = (): FieldRef => {
    const tok = peek();
    if (
      tok.t !== 'ident' ||
      RESERVED.has(tok.text.toLowerCase()) ||
      !/^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/.test(tok.text)
    ) {
      return unexpected(tok);
    }
    k++;
    return { name: tok.text, pos: tok.pos };
  };
  const literal = (): Literal => {
    const tok = peek();
    k++;
    switch (tok.t) {
      case 'string':
        return { kind: 'string', value: tok.value };
      case 'number':
        return { kind: 'number', value: tok.value };
      case 'date':
        return { kind: 'date', value: tok.value };
      case 'ident': {
        const w = tok.text.toLowerCase();
        if (w === 'null') return { kind: 'null' };
        if (w === 'true' || w === 'false') return { kind: 'boolean', value: w === 'true' };
        return unexpected(tok);
      }
      default:
        return unexpected(tok);
    }
  };

  const condition = (): Condition => {
    const first = unary();
    const items = [first];
    let joiner: 'and' | 'or' | undefined;
    for (;;) {
      const tok = peek();
      const word = tok.t === 'ident' ? tok.text.toLowerCase() : '';
      if (word !== 'and' && word !== 'or') break;
      if (joiner && joiner !== word) unexpected(tok);
      joiner = word;
      k++;
      items.push(unary());
    }
    return joiner ? { kind: joiner, items } : first;
  };
  const unary = (): Condition => {
    if (isKeyword(peek(), 'not')) {
      k++;
      return { kind: 'not', item: unary() };
    }
    if (isPunct(peek(), '(')) {
      k++;
      const inner = condition();
      expectPunct(')');
      return inner;
    }
    const field = identifier();
    const tok = peek();
    if (isKeyword(tok, 'not') || isKeyword(tok, 'in')) {
      const negated = isKeyword(tok, 'not');
      if (negated) k++;
      expectKeyword('in');
      expectPunct('(');
      const values = [literal()];
      while (isPunct(peek(), ',')) {
        k++;
        values.push(literal());
      }
      expectPunct(')');
      return { kind: 'in', field, negated, values };
    }
    if (tok.t === 'punct' && ['=', '!=', '<', '<=', '>', '>='].includes(tok.text)) {
      k++;
      return { kind: 'compare', field, op: tok.text as CompareOp, value: literal() };
    }
    return unexpected(tok);
  };

  const orderItem = (): OrderItem => {
    const field = identifier();
    let descending = false;
    if (isKeyword(peek(), 'asc') || isKeyword(peek(), 'desc')) {
      descending = isKeyword(peek(), 'desc');
      k++;
    }
    let nullsLast = descending;
    if (isKeyword(peek(), 'nulls')) {
      k++;
      if (!isKeyword(peek(), 'first') && !isKeyword(peek(), 'last')) unexpected(peek());
      nullsLast = isKeyword(peek(), 'last');
      k++;
    }
    return { field, descending, nullsLast };
  };

  expectKeyword('select');
  const fields: FieldRef[] = [];
  let count = false;
  if (isKeyword(peek(), 'count') && isPunct(tokens[k + 1], '(')) {
    k++;
    expectPunct('(');
    expectPunct(')');
    count = true;
  } else {
    fields.push(identifier());
    while (isPunct(peek(), ',')) {
      k++;
      fields.push(identifier());
    }
  }
  expectKeyword('from');
  const object = identifier();
  const query: SoqlQuery = { fields, object };
  if (count) query.count = true;
  if (isKeyword(peek(), 'where')) {
    k++;
    query.where = condition();
  }
  if (isKeyword(peek(), 'order')) {
    k++;
    expectKeyword('by');
    const items = [orderItem()];
    while (isPunct(peek(), ',')) {
      k++;
      items.push(orderItem());
    }
    query.orderBy = items;
  }
  if (isKeyword(peek(), 'limit')) {
    k++;
    const tok = peek();
    if (tok.t !== 'number' || !Number.isInteger(tok.value) || tok.value < 0) unexpected(tok);
    query.limit = (tok as { value: number }).value;
    k++;
  }
  if (peek().t !== 'eof') unexpected(peek());
  return query;
}
