// The one way a JSONata expression is prepared, in the server (to parse and check it) and in the
// sandbox (to run it): step limits, the helpers, a linear-time regex engine, and built-ins whose
// size arguments could otherwise ask V8 for more memory than a process has.
import jsonata from 'jsonata';
import { helperFunctions } from './functions.js';
import { LinearRegExp } from './linear-regex.js';

/** Checked by JSONata between steps (cooperative); the sandbox's hard bounds stop everything else. */
export const jsonataLimits = { timeout: 100, stack: 200, sequence: 100_000 };

/** `$pad` to 140 million characters builds an array V8 cannot even allocate: widths stop far below. */
export const MAX_PAD_WIDTH = 100_000;

/** JSONata's `$pad`, with the width bounded (same results within the bound). */
function boundedPad(str: string | undefined, width: number, char?: string): string | undefined {
  if (str === undefined) return undefined;
  const w = Math.trunc(width);
  if (!Number.isFinite(w) || Math.abs(w) > MAX_PAD_WIDTH) {
    throw Object.assign(new Error(`$pad width ${width} is beyond the limit of ${MAX_PAD_WIDTH}`), { code: 'D3500' });
  }
  const fill = char === undefined || char === '' ? ' ' : char;
  const chars = [...str].length;
  const missing = Math.abs(w) - chars;
  if (missing <= 0) return str;
  const padding = [...fill.repeat(Math.ceil(missing / [...fill].length))].slice(0, missing).join('');
  return w > 0 ? str + padding : padding + str;
}

/** Parses (throws JSONata's syntax error) and equips an expression. */
export function prepareJsonata(source: string, limits: Partial<typeof jsonataLimits> = {}): jsonata.Expression {
  const expr = jsonata(source, {
    ...jsonataLimits,
    ...limits,
    RegexEngine: LinearRegExp as unknown as RegExpConstructor,
  });
  for (const [name, fn] of Object.entries(helperFunctions)) expr.registerFunction(name, fn.impl, fn.signature);
  expr.registerFunction('pad', boundedPad, '<s-ns?:s>');
  return expr;
}

/** JSONata returns sequences as arrays tagged `sequence`; give callers plain, cloneable values. */
export function plainResult(v: unknown): unknown {
  if (typeof v === 'function') return undefined;
  if (Array.isArray(v) && (v as { sequence?: boolean }).sequence) return v.length === 1 ? v[0] : Array.from(v);
  return v;
}
