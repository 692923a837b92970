// A mapping value is a JSONata expression, compiled once when its file loads. Most mapping values are
// plain paths, `$coalesce` of paths, literals, comparisons or helper calls: those compile to direct JS
// closures (about 100x faster than JSONata's async evaluator). Anything else, or a fast path that
// meets data it cannot handle with JSONata's exact semantics (arrays, objects compared), runs in
// JSONata in a sandbox process (expression-sandbox.ts), bounded in time and memory, off the event loop.
import type jsonata from 'jsonata';
import { compileCode, concatText } from './expression-code.js';
import { sandbox, SandboxError, type Trust } from './expression-sandbox.js';
import { fastFunction, jsonataBoolean } from './functions.js';
import { jsonataLimits, prepareJsonata } from './jsonata-engine.js';
import { linearRegexProblem } from './linear-regex.js';
import { triggerEqualities, type TriggerEquality } from './trigger-equalities.js';

export interface Scope {
  /** The event message: JSONata's `$` input. */
  input: unknown;
  /** Bound variables: `$traits`, `$settings`, ... (names without the `$`). */
  vars: Record<string, unknown>;
}

export interface CompiledExpression {
  readonly source: string;
  /** True when the expression never needs JSONata for ordinary data. */
  readonly fast: boolean;
  /** Every path the expression reads, as step names; a variable root is written `$name`. */
  readonly reads: readonly (readonly string[])[];
  /** The value, or a Promise of it when JSONata has to run. `undefined` = no value. */
  evaluate(scope: Scope): unknown;
  /** The value without JSONata, or NEEDS_JSONATA when this expression on this data needs it. */
  readonly now: (scope: Scope) => unknown;
  /** The value from JSONata (in the sandbox), whatever the fast path could do. */
  readonly later: (scope: Scope) => Promise<unknown>;
  /**
   * Input fields the expression can only be true with: `type = "track" and event = "X" and ...`
   * gives {type: "track", event: "X"}. Lets a trigger be skipped without evaluating it.
   */
  readonly requires?: Readonly<Record<string, string | number | boolean>>;
  /** Every `path = literal` the expression can only be true with (nested paths and variables too). */
  readonly equalities?: readonly TriggerEquality[];
  /**
   * Set when the value is one plain path (`$traits.email`) or `$coalesce` of plain paths: a
   * compiled field table reads those inline (compiled-fill.ts), with the same semantics as `now`.
   */
  readonly plain?: { coalesce: boolean; paths: readonly PlainPath[] };
}

/** A path without predicates: from a variable (`$traits`, name without `$`) or the input, then names. */
export interface PlainPath {
  variable?: string;
  names: readonly string[];
}

/** A JSONata syntax problem, with the character offset inside the expression. */
export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly code: string,
  ) {
    super(message);
  }
}

/** A JSONata failure while evaluating (timeout, type error, sequence limit, ...). */
export class ExpressionEvaluationError extends Error {
  constructor(
    message: string,
    readonly source: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export { jsonataLimits };

export interface CompileOptions {
  /** Who wrote the expression: the operator's mapping files, or a client (inline rule, playground). */
  trust?: Trust;
  /**
   * false: the fast path stays closures, not one generated function (expression-code.ts): the
   * reference the generated code is tested against.
   */
  code?: boolean;
}

/**
 * What the fast path answers when only JSONata can give the value (`now`): the caller then goes
 * asynchronous for that value alone.
 */
export const NEEDS_JSONATA: unique symbol = Symbol('needs JSONata');
const FALLBACK: typeof NEEDS_JSONATA = NEEDS_JSONATA;
type Fast = (scope: Scope) => unknown;

interface AstNode {
  type: string;
  value?: any;
  position?: number;
  steps?: AstNode[];
  stages?: unknown[];
  predicate?: unknown[];
  group?: unknown;
  focus?: unknown;
  index?: unknown;
  tuple?: unknown;
  keepArray?: boolean;
  lhs?: AstNode;
  rhs?: AstNode;
  arguments?: AstNode[];
  procedure?: AstNode;
  condition?: AstNode;
  then?: AstNode;
  else?: AstNode;
  expressions?: AstNode[];
  [k: string]: unknown;
}

/** Compile a mapping value. Non-string YAML scalars (numbers, booleans, null) are constants. */
export function compileExpression(
  source: string | number | boolean | null,
  options: CompileOptions = {},
): CompiledExpression {
  if (typeof source !== 'string') {
    const value = source;
    const constant = () => value;
    return {
      source: JSON.stringify(source),
      fast: true,
      reads: [],
      evaluate: constant,
      now: constant,
      later: () => Promise.resolve(value),
    };
  }
  let expr: jsonata.Expression;
  try {
    expr = prepareJsonata(source);
  } catch (err) {
    const e = err as { message?: string; position?: number; code?: string };
    throw new ExpressionSyntaxError(e.message ?? String(err), Math.max(0, (e.position ?? 1) - 1), e.code ?? 'S0000');
  }
  const ast = expr.ast() as unknown as AstNode;
  checkRegexes(ast, source);
  const reads: string[][] = [];
  collectReads(ast, reads);
  const closures = compileNode(ast);
  // The same values from one function with call sites of its own (expression-code.ts).
  const fast =
    closures && options.code !== false
      ? (compileCode(ast, (n) => plainPath(n as AstNode), FALLBACK) ?? closures)
      : closures;
  const equalities = triggerEqualities(ast);
  const requires = requiredEqualities(equalities);
  const pool = sandbox(options.trust ?? 'files');
  const names = [...variableNames(ast)];
  const slow = (scope: Scope): Promise<unknown> => {
    // Only the variables the expression names cross to the sandbox ($settings may be large).
    const vars: Record<string, unknown> = {};
    for (const n of names) if (Object.hasOwn(scope.vars, n)) vars[n] = scope.vars[n];
    return pool.evaluate(source, scope.input, vars).catch((err: unknown) => {
      const e = err as { message?: string; code?: string };
      throw new ExpressionEvaluationError(
        e?.message ?? String(err),
        source,
        err instanceof SandboxError ? e.code : undefined,
      );
    });
  };
  if (!fast)
    return { source, fast: false, reads, requires, equalities, evaluate: slow, now: () => FALLBACK, later: slow };
  return {
    source,
    fast: true,
    reads,
    requires,
    equalities,
    plain: plainOf(ast),
    evaluate(scope) {
      const v = fast(scope);
      return v === FALLBACK ? slow(scope) : v;
    },
    now: fast,
    later: slow,
  };
}

/** Regex literals must run on the linear-time engine: a pattern it cannot run is a syntax problem. */
function checkRegexes(node: unknown, source: string): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) checkRegexes(n, source);
    return;
  }
  const n = node as AstNode;
  if (n.type === 'regex' && n.value instanceof RegExp) {
    const problem = linearRegexProblem(n.value);
    if (problem) {
      const at = source.indexOf(n.value.source);
      throw new ExpressionSyntaxError(
        `regular expression /${n.value.source}/ is not supported (${problem}); patterns must run in linear time: no backreferences or lookaround`,
        Math.max(0, at - 1),
        'S0302',
      );
    }
    return;
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'value') checkRegexes(v, source);
}

/** Every `$name` the expression mentions (variables and functions alike; extra names cost nothing). */
function variableNames(node: unknown, out = new Set<string>()): Set<string> {
  if (node === null || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const n of node) variableNames(n, out);
    return out;
  }
  const n = node as AstNode;
  if (n.type === 'variable' && typeof n.value === 'string' && n.value !== '') out.add(n.value);
  for (const [k, v] of Object.entries(n)) if (k !== 'value') variableNames(v, out);
  return out;
}

/** The top-level input names a trigger requires (`type = "identify"`): its equalities on a single name. */
function requiredEqualities(
  equalities: readonly TriggerEquality[],
): Record<string, string | number | boolean> | undefined {
  const out: Record<string, string | number | boolean> = {};
  for (const { path, value } of equalities) if (path.length === 1 && !path[0].startsWith('$')) out[path[0]] = value;
  return Object.keys(out).length > 0 ? out : undefined;
}

function collectReads(node: unknown, out: string[][]): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) collectReads(n, out);
    return;
  }
  const n = node as AstNode;
  if (n.type === 'path' && n.steps && n.steps.length > 0) {
    const path: string[] = [];
    for (const [i, step] of n.steps.entries()) {
      if (i === 0 && step.type === 'variable' && step.value !== '') path.push('$' + step.value);
      else if (step.type === 'name') path.push(String(step.value));
      else break;
      if (step.stages || step.predicate) break;
    }
    if (path.length > 0) out.push(path);
    // Steps themselves are the path just recorded; only what hangs off them (predicates) reads more.
    for (const step of n.steps)
      for (const [k, v] of Object.entries(step)) if (k !== 'type' && k !== 'value') collectReads(v, out);
    return;
  } else if (n.type === 'variable' && n.value !== '') {
    out.push(['$' + n.value]);
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'type' && k !== 'value' && k !== 'procedure') collectReads(v, out);
}

const isScalar = (v: unknown) => v === null || (typeof v !== 'object' && typeof v !== 'function');

/** AST → closure, or undefined when the node is outside the fast subset. */
function compileNode(node: AstNode): Fast | undefined {
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value': {
      const v = node.value;
      return () => v;
    }
    case 'variable':
      return compilePath([node]);
    case 'path':
      return node.keepArray || node.tuple ? undefined : compilePath(node.steps ?? []);
    case 'condition':
      return compileCondition(node);
    case 'binary':
      return compileBinary(node);
    case 'function':
      return compileCall(node);
    case 'block':
      // `(a or b)`: a parenthesised single expression is just that expression.
      return node.expressions?.length === 1 ? compileNode(node.expressions[0]) : undefined;
    default:
      return undefined;
  }
}

/** The plain path(s) of a value that is nothing else (see CompiledExpression.plain). */
function plainOf(ast: AstNode): CompiledExpression['plain'] {
  if (ast.type === 'function' && ast.procedure?.type === 'variable' && ast.procedure.value === 'coalesce') {
    const paths = (ast.arguments ?? []).map(plainPath);
    return paths.length > 0 && paths.every((p) => p !== undefined) ? { coalesce: true, paths: paths } : undefined;
  }
  const p = plainPath(ast);
  return p && { coalesce: false, paths: [p] };
}

function plainPath(node: AstNode): PlainPath | undefined {
  // Exactly what compilePath accepts.
  if (node.type === 'variable') return pathSteps([node]);
  if (node.type === 'path' && !node.keepArray && !node.tuple) return pathSteps(node.steps ?? []);
  return undefined;
}

function pathSteps(steps: AstNode[]): PlainPath | undefined {
  if (steps.length === 0) return undefined;
  let variable: string | undefined;
  const names: string[] = [];
  for (const [i, step] of steps.entries()) {
    if (step.stages || step.predicate || step.group || step.focus || step.index || step.tuple || step.keepArray)
      return undefined;
    if (i === 0 && step.type === 'variable') {
      variable = String(step.value);
      if (variable === '' || variable === '$') return undefined;
    } else if (step.type === 'name') {
      names.push(String(step.value));
    } else {
      return undefined;
    }
  }
  return { variable, names };
}

function compilePath(steps: AstNode[]): Fast | undefined {
  const path = pathSteps(steps);
  if (!path) return undefined;
  const { variable, names } = path;
  // The variable bag is built by us with known names; only prototype names need the own check.
  const root: ((scope: Scope) => unknown) | undefined =
    variable === undefined
      ? undefined
      : variable in Object.prototype
        ? (scope) => (Object.hasOwn(scope.vars, variable) ? scope.vars[variable] : undefined)
        : (scope) => scope.vars[variable];
  const start = root ?? ((scope: Scope) => scope.input);
  // Objects parsed from JSON inherit only Object.prototype, so a name that is not one of its
  // properties can be read directly; names like `constructor` must be own properties to count.
  const risky = names.map((n) => n in Object.prototype);
  // Mapping values are mostly one or two steps ($traits.email, $traits.address.city): those get a
  // closure without a loop, the rest the general one.
  const [n0, n1] = names;
  const [r0, r1] = risky;
  switch (names.length) {
    case 0:
      return start;
    case 1:
      return (scope) => step(start(scope), n0, r0);
    case 2:
      return (scope) => {
        const a = step(start(scope), n0, r0);
        return a === FALLBACK ? a : step(a, n1, r1);
      };
    default:
      return (scope) => {
        let cur = start(scope);
        for (let i = 0; i < names.length && cur !== FALLBACK; i++) cur = step(cur, names[i], risky[i]);
        return cur; // an array at the last step is returned as is, as JSONata does
      };
  }
}

/** One step of a path: the named property of an object; nothing from other values. */
function step(cur: unknown, name: string, risky: boolean): unknown {
  if (cur === undefined || cur === null || typeof cur !== 'object') return undefined;
  if (Array.isArray(cur)) return FALLBACK; // JSONata maps over arrays: let it do so exactly
  return risky && !Object.hasOwn(cur, name) ? undefined : (cur as Record<string, unknown>)[name];
}

function compileCondition(node: AstNode): Fast | undefined {
  const cond = node.condition && compileNode(node.condition);
  const then = node.then && compileNode(node.then);
  const otherwise = node.else ? compileNode(node.else) : () => undefined;
  if (!cond || !then || !otherwise) return undefined;
  return (scope) => {
    const c = cond(scope);
    if (c === FALLBACK) return FALLBACK;
    return jsonataBoolean(c) ? then(scope) : otherwise(scope);
  };
}

function compileBinary(node: AstNode): Fast | undefined {
  const lhs = node.lhs && compileNode(node.lhs);
  const rhs = node.rhs && compileNode(node.rhs);
  if (!lhs || !rhs) return undefined;
  const both = (scope: Scope, f: (a: unknown, b: unknown) => unknown) => {
    const a = lhs(scope);
    if (a === FALLBACK) return FALLBACK;
    const b = rhs(scope);
    if (b === FALLBACK) return FALLBACK;
    return f(a, b);
  };
  switch (node.value) {
    case 'and':
      return (scope) => {
        const a = lhs(scope);
        if (a === FALLBACK) return FALLBACK;
        if (!jsonataBoolean(a)) return false;
        const b = rhs(scope);
        return b === FALLBACK ? FALLBACK : jsonataBoolean(b);
      };
    case 'or':
      return (scope) => {
        const a = lhs(scope);
        if (a === FALLBACK) return FALLBACK;
        if (jsonataBoolean(a)) return true;
        const b = rhs(scope);
        return b === FALLBACK ? FALLBACK : jsonataBoolean(b);
      };
    case '=':
    case '!=': {
      const negate = node.value === '!=';
      return (scope) =>
        both(scope, (a, b) => {
          if (a === undefined || b === undefined) return false;
          if (!isScalar(a) || !isScalar(b)) return FALLBACK;
          return negate ? a !== b : a === b;
        });
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const op = node.value as string;
      return (scope) =>
        both(scope, (a, b) => {
          if (a === undefined || b === undefined) return undefined;
          const comparable =
            (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
          if (!comparable) return FALLBACK; // JSONata raises a type error: let it say so
          const x = a as number,
            y = b as number;
          return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
        });
    }
    case '&':
      return (scope) =>
        both(scope, (a, b) => {
          const x = concatText(a, FALLBACK),
            y = concatText(b, FALLBACK);
          return x === FALLBACK || y === FALLBACK ? FALLBACK : x + y;
        });
    default:
      return undefined;
  }
}

function compileCall(node: AstNode): Fast | undefined {
  const proc = node.procedure;
  if (!proc || proc.type !== 'variable') return undefined;
  const name = String(proc.value);
  const fn = fastFunction(name);
  if (!fn) return undefined;
  const args: Fast[] = [];
  for (const a of node.arguments ?? []) {
    const c = compileNode(a);
    if (!c) return undefined;
    args.push(c);
  }
  if (name === 'coalesce') {
    // The commonest mapping value: stop at the first present argument, allocate nothing.
    return (scope) => {
      for (let i = 0; i < args.length; i++) {
        const v = args[i](scope);
        if (v === FALLBACK) return FALLBACK;
        if (v !== undefined && v !== null && v !== '') return v;
      }
      return undefined;
    };
  }
  // Helpers are written defensively (they type-check their arguments), so any value may pass.
  const [a0, a1] = args;
  switch (args.length) {
    case 1:
      return (scope) => {
        const x = a0(scope);
        return x === FALLBACK ? x : fn(x);
      };
    case 2:
      return (scope) => {
        const x = a0(scope);
        if (x === FALLBACK) return x;
        const y = a1(scope);
        return y === FALLBACK ? y : fn(x, y);
      };
    default:
      return (scope) => {
        const values: unknown[] = new Array(args.length);
        for (let i = 0; i < args.length; i++) {
          const v = args[i](scope);
          if (v === FALLBACK) return FALLBACK;
          values[i] = v;
        }
        return fn(...values);
      };
  }
}
