// The values of one event's expressions, synchronously first. Nearly every mapping value is answered
// by the fast path (plain closures), and awaiting each of them (about ten per operation, plus one per
// event) cost more than computing them. So an event is mapped in one synchronous pass; when an
// expression meets data only JSONata can handle (the sandbox, asynchronous), the pass stops there,
// that one value is awaited, and the pass runs again from the start with the value remembered.
// Mapping is pure, so the repeated pass reaches the same expression at the same position of the
// sequence; the values before it are recomputed by the fast path (microseconds, against the
// sandbox's round trip). Sandbox calls happen one at a time and in the same order as before.
import { EventError } from './event-error.js';
import { ExpressionEvaluationError, NEEDS_JSONATA, type CompiledExpression, type Scope } from './expression.js';

/** Thrown through a pass that has to wait for JSONata; never escapes `runEvaluated`. */
class PassStopped {}
const STOPPED = new PassStopped();

interface Settled {
  expr: CompiledExpression;
  ok: boolean;
  value: unknown;
}

export class Evaluations {
  /** JSONata's answers so far, by position in the pass (rarely any: allocated on first use). */
  private settled?: Map<number, Settled>;
  private position = 0;
  private pending?: { position: number; expr: CompiledExpression; promise: Promise<unknown> };

  /**
   * The value of `expr` for this event. Evaluation failures become the event's 400, naming the rule
   * and the place (`where`) of the expression.
   */
  value(expr: CompiledExpression, scope: Scope, rule: string, where: string): unknown {
    const position = this.position++;
    let v: unknown;
    try {
      v = expr.now(scope);
    } catch (err) {
      return asEventError(err, expr, rule, where);
    }
    return v === NEEDS_JSONATA ? this.jsonata(position, expr, scope, rule, where) : v;
  }

  /** Takes `count` positions at once, for a compiled field table (compiled-fill.ts). */
  reserve(count: number): number {
    const first = this.position;
    this.position += count;
    return first;
  }

  /** The JSONata value of the expression at `position`: known from an earlier pass, or awaited now. */
  jsonata(position: number, expr: CompiledExpression, scope: Scope, rule: string, where: string): unknown {
    const known = this.settled?.get(position);
    if (known) {
      // A pure pass cannot diverge; if it ever did, a remembered value must not land elsewhere.
      if (known.expr !== expr)
        throw new Error(
          `mapping ${rule}: a repeated pass reached ${where} where it had evaluated ${known.expr.source}`,
        );
      return known.ok ? known.value : asEventError(known.value, expr, rule, where);
    }
    const promise = expr.later(scope);
    // Awaited by settle(); marked handled here so a pass abandoned on the way cannot leave a rejection unhandled.
    promise.catch(() => undefined);
    this.pending = { position, expr, promise };
    throw STOPPED;
  }

  /** Waits for the value the last pass stopped at. */
  async settle(): Promise<void> {
    const p = this.pending!;
    this.pending = undefined;
    let settled: Settled;
    try {
      settled = { expr: p.expr, ok: true, value: await p.promise };
    } catch (err) {
      settled = { expr: p.expr, ok: false, value: err };
    }
    (this.settled ??= new Map()).set(p.position, settled);
  }

  restart(): void {
    this.position = 0;
  }
}

/**
 * `pass(evaluations)`'s result: synchronous when no expression needed JSONata, else a Promise of the
 * pass that completed once every JSONata value it needed was known. `pass` must be pure apart from
 * what it returns (it may run several times).
 */
export function runEvaluated<T>(pass: (ev: Evaluations) => T): T | Promise<T> {
  const ev = new Evaluations();
  try {
    return pass(ev);
  } catch (err) {
    if (err !== STOPPED) throw err;
  }
  return (async () => {
    for (;;) {
      await ev.settle();
      ev.restart();
      try {
        return pass(ev);
      } catch (err) {
        if (err !== STOPPED) throw err;
      }
    }
  })();
}

function asEventError(err: unknown, expr: CompiledExpression, rule: string, where: string): never {
  if (err instanceof ExpressionEvaluationError) {
    throw new EventError(`mapping ${rule}, ${where} (${expr.source}): ${err.message}`, 'EXPRESSION_ERROR');
  }
  throw err;
}
