// Regular expressions in mapping values run on RE2 (re2js, pure JavaScript): matching time is
// linear in the input, so no pattern and no event value can backtrack for seconds. JSONata creates
// its regex engine with `new RegexEngine(regexLiteral)` and drives it like a global RegExp
// (`lastIndex`, `exec`); this class is that shape. Patterns RE2 cannot run in linear time
// (backreferences, lookaround) are refused when the mapping loads.
import { RE2JS } from 're2js';

/** Compiled patterns, shared: JSONata builds a new engine each time a regex literal is evaluated. */
const compiled = new Map<string, RE2JS>();
const MAX_COMPILED = 1000;

function compile(source: string, flags: string): RE2JS {
  const key = `${flags}/${source}`;
  let re = compiled.get(key);
  if (!re) {
    let f = 0;
    if (flags.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
    if (flags.includes('m')) f |= RE2JS.MULTILINE;
    // JavaScript's \uXXXX is RE2's \x{XXXX}; everything else JSONata allows reads the same.
    re = RE2JS.compile(source.replace(/(^|[^\\])((?:\\\\)*)\\u([0-9a-fA-F]{4})/g, '$1$2\\x{$3}'), f);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, re);
  }
  return re;
}

/** Why RE2 cannot run this pattern, or undefined when it can. */
export function linearRegexProblem(pattern: RegExp): string | undefined {
  try {
    compile(pattern.source, pattern.flags);
    return undefined;
  } catch (err) {
    return (err as Error).message.replace(/^error parsing regexp: /, '');
  }
}

export class LinearRegExp {
  lastIndex = 0;
  private readonly re: RE2JS;

  constructor(pattern: RegExp | string, flags = '') {
    this.re = typeof pattern === 'string' ? compile(pattern, flags) : compile(pattern.source, pattern.flags);
  }

  exec(input: string): RegExpExecArray | null {
    const m = this.re.matcher(input);
    if (this.lastIndex > input.length || !m.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const groups: (string | undefined)[] = [];
    for (let i = 0; i <= m.groupCount(); i++) groups.push(m.group(i) ?? undefined);
    this.lastIndex = m.end();
    return Object.assign(groups, { index: m.start(), input }) as unknown as RegExpExecArray;
  }
}
