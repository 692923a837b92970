// What a trigger can only be true with: the `path = literal` conjuncts at the top of its `and`
// chain (`type = "identify" and $traits.plan = "pro" and ...`). A rule whose required value is
// absent or different from the event's cannot fire, so it need not be evaluated (trigger-decision.ts).
// Read from JSONata's AST; plain name steps only (no predicates, filters or wildcards).

/** A required equality: `path` is input names (`traits`, `plan`) or a variable first (`$traits`, `plan`). */
export interface TriggerEquality {
  path: readonly string[];
  value: string | number | boolean;
}

interface Node {
  type: string;
  value?: unknown;
  steps?: Node[];
  stages?: unknown;
  predicate?: unknown;
  lhs?: Node;
  rhs?: Node;
  expressions?: Node[];
}

const isLiteral = (n: Node | undefined): n is Node =>
  n !== undefined &&
  (n.type === 'string' || n.type === 'number' || (n.type === 'value' && typeof n.value === 'boolean'));

/** A path of plain steps as names, `$var` first for a variable root; undefined for anything else. */
function plainPath(n: Node | undefined): string[] | undefined {
  if (!n) return undefined;
  if (n.type === 'variable' && typeof n.value === 'string' && n.value !== '' && !n.stages && !n.predicate)
    return ['$' + n.value];
  if (n.type !== 'path' || !n.steps || n.steps.length === 0) return undefined;
  const out: string[] = [];
  for (const [i, step] of n.steps.entries()) {
    if (step.stages || step.predicate) return undefined;
    if (i === 0 && step.type === 'variable' && typeof step.value === 'string' && step.value !== '')
      out.push('$' + step.value);
    else if (step.type === 'name' && typeof step.value === 'string') out.push(step.value);
    else return undefined;
  }
  return out;
}

export function triggerEqualities(ast: unknown): TriggerEquality[] {
  const out: TriggerEquality[] = [];
  const seen = new Set<string>();
  const walk = (n: Node): void => {
    if (n.type === 'block' && n.expressions?.length === 1) return walk(n.expressions[0]);
    if (n.type !== 'binary') return;
    if (n.value === 'and') {
      walk(n.lhs!);
      walk(n.rhs!);
    } else if (n.value === '=') {
      const [path, lit] =
        plainPath(n.lhs) && isLiteral(n.rhs)
          ? [plainPath(n.lhs)!, n.rhs]
          : plainPath(n.rhs) && isLiteral(n.lhs)
            ? [plainPath(n.rhs)!, n.lhs]
            : [];
      const key = path && JSON.stringify(path);
      if (path && lit && !seen.has(key!)) {
        seen.add(key!);
        out.push({ path, value: lit.value as string | number | boolean });
      }
    }
  };
  if (ast && typeof ast === 'object') walk(ast as Node);
  return out;
}
