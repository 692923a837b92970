// Per-event evaluation is written once, as generators that `yield` a value only when it is a
// Promise (an expression JSONata had to evaluate). `run` drives such a generator synchronously —
// no promise, no microtask for the common all-fast-path event — and switches to awaiting only
// from the first Promise on.
import { EventError } from './event-error.js';
import { ExpressionEvaluationError, type CompiledExpression, type Scope } from './expression.js';

export type Task<T> = Generator<unknown, T, unknown>;

export function run<T>(task: Task<T>): T | Promise<T> {
  let r = task.next();
  while (!r.done) {
    if (r.value instanceof Promise) return finish(task, r.value);
    r = task.next(r.value);
  }
  return r.value;
}

async function finish<T>(task: Task<T>, pending: Promise<unknown>): Promise<T> {
  let r: IteratorResult<unknown, T>;
  try {
    r = task.next(await pending);
  } catch (err) {
    r = task.throw(err);
  }
  while (!r.done) {
    if (r.value instanceof Promise) {
      let v: unknown;
      try {
        v = await r.value;
      } catch (err) {
        r = task.throw(err);
        continue;
      }
      r = task.next(v);
    } else {
      r = task.next(r.value);
    }
  }
  return r.value;
}

/** `yield* value(...)`: an expression's value inside a task. */
export function* value(expr: CompiledExpression, scope: Scope, rule: string, where: string): Task<unknown> {
  const v = valueOf(expr, scope, rule, where);
  return v instanceof Promise ? yield v : v;
}

/**
 * The value of an expression. Synchronous for the fast path (no promise, no microtask per field);
 * a Promise only when JSONata had to run. Evaluation failures become the event's 400.
 */
export function valueOf(expr: CompiledExpression, scope: Scope, rule: string, where: string): unknown {
  try {
    const v = expr.evaluate(scope);
    return v instanceof Promise ? v.catch((err: unknown) => asEventError(err, expr, rule, where)) : v;
  } catch (err) {
    return asEventError(err, expr, rule, where);
  }
}

function asEventError(err: unknown, expr: CompiledExpression, rule: string, where: string): never {
  if (err instanceof ExpressionEvaluationError) {
    throw new EventError(`mapping ${rule}, ${where} (${expr.source}): ${err.message}`, 'EXPRESSION_ERROR');
  }
  throw err;
}

