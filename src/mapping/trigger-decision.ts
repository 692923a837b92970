// Candidate rules decided together instead of one by one: of the rules an event's type (and name)
// leaves, most often say what else they need with one more equality (`$traits.plan = "pro"`,
// `properties.source = "web"`). The path most of them test is read once per event, and a map from
// its value gives the rules that can still fire: those requiring that very value, plus those that
// do not test the path. A hundred such rules then cost one read and one lookup, not a hundred
// evaluations. A rule is left out only when its trigger is certainly false; anything unusual at
// the path (a list, an object) falls back to evaluating every candidate.
import type { Scope } from './expression.js';
import type { TriggerEquality } from './trigger-equalities.js';

/** Fewer rules than this testing one path are cheaper to evaluate than to decide. */
const MIN_RULES = 3;

const UNKNOWN = Symbol('unknown');

type Primitive = string | number | boolean;

/** The value at `path` in the event as a JSONata path would see it, or UNKNOWN where it could differ. */
function readPath(scope: Scope, path: readonly string[]): Primitive | undefined | null | typeof UNKNOWN {
  const first = path[0];
  let v: unknown = first.startsWith('$') ? scope.vars[first.slice(1)] : ownValue(scope.input, first);
  for (let i = 1; i < path.length; i++) {
    if (Array.isArray(v)) return UNKNOWN; // JSONata maps over lists: let the trigger decide
    v = ownValue(v, path[i]);
  }
  if (v !== null && typeof v === 'object') return UNKNOWN;
  return v as Primitive | undefined | null;
}

function ownValue(v: unknown, key: string): unknown {
  if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
  return (v as Record<string, unknown>)[key];
}

/**
 * A function from the event to the rules worth evaluating, in their original order. `decided` are
 * paths already settled by the caller (type, event).
 */
export function triggerDecision<T>(
  rules: readonly T[],
  equalitiesOf: (rule: T) => readonly TriggerEquality[] | undefined,
  decided: readonly string[] = ['["type"]', '["event"]'],
): (scope: Scope) => readonly T[] {
  const counts = new Map<string, number>();
  for (const r of rules) {
    for (const e of equalitiesOf(r) ?? []) {
      const key = JSON.stringify(e.path);
      if (!decided.includes(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  let best: string | undefined;
  for (const [key, n] of counts) if (n >= MIN_RULES && (best === undefined || n > counts.get(best)!)) best = key;
  if (best === undefined) return () => rules;

  const path = JSON.parse(best) as string[];
  const required = (r: T) => equalitiesOf(r)?.find((e) => JSON.stringify(e.path) === best);
  const rest = rules.filter((r) => required(r) === undefined);
  const byValue = new Map<Primitive, readonly T[]>();
  for (const r of rules) {
    const e = required(r);
    if (e === undefined || byValue.has(e.value)) continue;
    byValue.set(
      e.value,
      rules.filter((x) => {
        const xe = required(x);
        return xe === undefined || xe.value === e.value;
      }),
    );
  }
  return (scope) => {
    const v = readPath(scope, path);
    if (v === UNKNOWN) return rules;
    if (v === undefined || v === null) return rest;
    return byValue.get(v) ?? rest;
  };
}
