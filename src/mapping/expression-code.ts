// A fast-path expression (expression.ts compileNode's subset: literals, plain paths, conditions,
// and/or, comparisons, `&`, helper and built-in calls) compiled to ONE function of straight-line
// code. The closures compileNode builds give the same values, but every closure of a kind shares
// its call sites (`lhs(scope)`, `fn(x)`), which see every expression's callees, so V8 can inline
// none of them; a trigger such as `type = "identify" and $not($isTrue(context.mappedToDestination))`
// is evaluated for every event by several rules. Here each expression has call sites of its own.
//
// The code must never carry a mapping's text as code: literals and functions are passed in as
// values (K, H), and path names are written quoted with JSON.stringify (whose output is a JS string
// literal of the same text, whatever it holds), as compiled-fill.ts writes them.
import { fastFunction, jsonataBoolean } from './functions.js';
import type { PlainPath } from './expression.js';

/** What an AST node of JSONata's parser holds that the fast subset reads. */
export interface CodeNode {
  type: string;
  value?: unknown;
  lhs?: CodeNode;
  rhs?: CodeNode;
  arguments?: CodeNode[];
  procedure?: CodeNode;
  condition?: CodeNode;
  then?: CodeNode;
  else?: CodeNode;
  expressions?: CodeNode[];
  keepArray?: boolean;
  tuple?: unknown;
}

/**
 * Code that leaves in `t` what a path closure gives for a plain path: an array on the way is
 * JSONata's to map over (NEEDS); a name Object.prototype has counts only as an own property.
 */
export function pathCode(path: PlainPath): string {
  const q = JSON.stringify;
  const lines: string[] = [];
  if (path.variable === undefined) lines.push('t = scope.input;');
  else if (path.variable in Object.prototype)
    lines.push(`t = Object.hasOwn(scope.vars, ${q(path.variable)}) ? scope.vars[${q(path.variable)}] : undefined;`);
  else lines.push(`t = scope.vars[${q(path.variable)}];`);
  for (const name of path.names) {
    const read =
      name in Object.prototype ? `(Object.hasOwn(t, ${q(name)}) ? t[${q(name)}] : undefined)` : `t[${q(name)}]`;
    lines.push(
      `if (t !== NEEDS) t = t === undefined || t === null || typeof t !== 'object' ? undefined : Array.isArray(t) ? NEEDS : ${read};`,
    );
  }
  return lines.join(' ');
}

/** `&`'s text of a value (JSONata's casting), or `needs` where only JSONata knows it. */
export function concatText<N>(v: unknown, needs: N): string | N {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return needs;
}

const isScalar = (v: unknown) => v === null || (typeof v !== 'object' && typeof v !== 'function');
const COMPARISONS = new Set(['<', '<=', '>', '>=']);

class Writer {
  readonly lines: string[] = [];
  readonly values: unknown[] = [];
  private next = 0;

  constructor(private readonly plainPath: (node: CodeNode) => PlainPath | undefined) {}

  temp(): string {
    return `v${this.next++}`;
  }

  value(v: unknown): string {
    this.values.push(v);
    return `K[${this.values.length - 1}]`;
  }

  /** Writes code that leaves the node's value in a new variable (returning NEEDS when it needs JSONata); its name. */
  emit(node: CodeNode): string {
    const out = this.temp();
    const L = this.lines;
    switch (node.type) {
      case 'string':
      case 'number':
      case 'value':
        L.push(`const ${out} = ${this.value(node.value)};`);
        return out;
      case 'variable':
      case 'path': {
        const path = this.plainPath(node);
        if (!path) throw new Unsupported();
        L.push(`${pathCode(path)} const ${out} = t; if (${out} === NEEDS) return NEEDS;`);
        return out;
      }
      case 'block':
        if (node.expressions?.length !== 1) throw new Unsupported();
        return this.emit(node.expressions[0]);
      case 'condition': {
        if (!node.condition || !node.then) throw new Unsupported();
        const c = this.emit(node.condition);
        L.push(`let ${out}; if (JB(${c})) {`);
        L.push(`${out} = ${this.emit(node.then)}; } else {`);
        L.push(node.else ? `${out} = ${this.emit(node.else)}; }` : `${out} = undefined; }`);
        return out;
      }
      case 'binary':
        return this.binary(node, out);
      case 'function':
        return this.call(node, out);
      default:
        throw new Unsupported();
    }
  }

  private binary(node: CodeNode, out: string): string {
    if (!node.lhs || !node.rhs) throw new Unsupported();
    const L = this.lines;
    const op = node.value;
    if (op === 'and' || op === 'or') {
      const a = this.emit(node.lhs);
      L.push(`let ${out}; if (${op === 'and' ? '!' : ''}JB(${a})) ${out} = ${op === 'or'}; else {`);
      L.push(`${out} = JB(${this.emit(node.rhs)}); }`);
      return out;
    }
    if (op !== '=' && op !== '!=' && op !== '&' && !COMPARISONS.has(op as string)) throw new Unsupported();
    const a = this.emit(node.lhs);
    const b = this.emit(node.rhs);
    if (op === '=' || op === '!=')
      L.push(
        `let ${out}; if (${a} === undefined || ${b} === undefined) ${out} = false;`,
        `else if (!SCALAR(${a}) || !SCALAR(${b})) return NEEDS; else ${out} = ${a} ${op === '=' ? '===' : '!=='} ${b};`,
      );
    else if (op === '&')
      L.push(
        `const ${out}a = TEXT(${a}, NEEDS), ${out}b = TEXT(${b}, NEEDS);`,
        `if (${out}a === NEEDS || ${out}b === NEEDS) return NEEDS; const ${out} = ${out}a + ${out}b;`,
      );
    else
      L.push(
        `let ${out}; if (${a} === undefined || ${b} === undefined) ${out} = undefined;`,
        `else if (!((typeof ${a} === 'number' && typeof ${b} === 'number') || (typeof ${a} === 'string' && typeof ${b} === 'string'))) return NEEDS;`,
        `else ${out} = ${a} ${op as string} ${b};`,
      );
    return out;
  }

  private call(node: CodeNode, out: string): string {
    const proc = node.procedure;
    if (!proc || proc.type !== 'variable') throw new Unsupported();
    const name = String(proc.value);
    const fn = fastFunction(name);
    if (!fn) throw new Unsupported();
    const L = this.lines;
    const args = node.arguments ?? [];
    if (name === 'coalesce') {
      // The first present argument; the rest are not evaluated.
      L.push(`let ${out} = undefined; do {`);
      for (const a of args) {
        const v = this.emit(a);
        L.push(`if (${v} !== undefined && ${v} !== null && ${v} !== '') { ${out} = ${v}; break; }`);
      }
      L.push('} while (false);');
      return out;
    }
    const values = args.map((a) => this.emit(a));
    L.push(`const ${out} = ${this.value(fn)}(${values.join(', ')});`);
    return out;
  }
}

class Unsupported extends Error {}

/**
 * The expression `ast` as one function of the scope, giving what compileNode's closures give (NEEDS
 * where they give FALLBACK), or undefined when a node is outside the subset.
 */
export function compileCode(
  ast: CodeNode,
  plainPath: (node: CodeNode) => PlainPath | undefined,
  needs: symbol,
): ((scope: { input: unknown; vars: Record<string, unknown> }) => unknown) | undefined {
  const w = new Writer(plainPath);
  let result: string;
  try {
    result = w.emit(ast);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  const source = `return function expression(scope) {\nlet t;\n${w.lines.join('\n')}\nreturn ${result};\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- no mapping text as code (see the top of this file)
  const make = new Function('K', 'NEEDS', 'JB', 'SCALAR', 'TEXT', source) as (
    ...args: unknown[]
  ) => (scope: { input: unknown; vars: Record<string, unknown> }) => unknown;
  return make(w.values, needs, jsonataBoolean, isScalar, concatText);
}
