// The rules that serve requests, prepared once: field tables resolved across files (fieldsFrom),
// keys each table consumes known (so the custom-field rule skips them), and cross-file problems
// (duplicate names, dangling references) found before anything serves.
import type { FieldMetadata, ObjectCatalog, ObjectMetadata } from '../salesforce/object-metadata.js';
import type { CompiledExpression, Scope } from './expression.js';
import type { Problem } from './problem.js';
import type { CompiledField, CompiledRule, CustomFieldRule } from './rule.js';
import { compileFill, type Fill } from './compiled-fill.js';
import { CustomFieldNames } from './record-fields.js';
import { triggerDecision } from './trigger-decision.js';

export interface FieldTable {
  fields: CompiledField[];
  /** The table compiled for one target object (and trimming setting): once per pair, then reused. */
  fillFor(object: ObjectMetadata | undefined, trim: boolean): Fill;
  /** How `custom.from`'s keys are written on one object, remembered per key (only with `custom`). */
  customNamesFor(object: string, meta: ObjectMetadata | undefined): CustomFieldNames;
  custom?: CustomFieldRule;
  /** Top-level keys of `custom.from` that the table's expressions read. */
  consumed: ReadonlySet<string>;
  /** `$traits` for `from: $traits`: how skipped keys are named in messages. */
  customRoot: string;
}

export interface ActiveRule {
  rule: CompiledRule;
  table: FieldTable;
  followTable?: FieldTable;
  /**
   * Rules of one set whose triggers have the same text have the same number: an event evaluates
   * such a trigger once (most identify rules share `type = "identify" and $not(...)`).
   */
  trigger: number;
  /** forEachExternalId's entry types in lower case, decided once (only for routing rules). */
  routeTypes?: readonly string[];
}

export interface MappingSet {
  filters: CompiledRule[];
  rules: ActiveRule[];
  byName: ReadonlyMap<string, ActiveRule | CompiledRule>;
  catalog: ObjectCatalog;
  /**
   * The rules whose trigger can be true for an event of this type and name, in file order; given
   * the event's scope, also narrowed by the other equalities their triggers require.
   */
  candidates(type: string, event: unknown, scope?: Scope): readonly ActiveRule[];
  /** Chosen by destination.Config.mappings: its rules apply even when their files say enabled: false. */
  selected?: boolean;
}

/**
 * `library` holds rules that may be referenced (fieldsFrom) without being active themselves — the
 * whole folder, when a destination selects a few rules by name.
 */
export function buildMappingSet(
  rules: CompiledRule[],
  catalog: ObjectCatalog,
  library: readonly CompiledRule[] = [],
): { set: MappingSet; problems: Problem[] } {
  const problems: Problem[] = [];
  const byName = new Map<string, CompiledRule>();
  const referable = new Map<string, CompiledRule>(library.map((r) => [r.name, r]));
  const kept: CompiledRule[] = [];
  for (const r of rules) {
    const prior = byName.get(r.name);
    if (prior) {
      problems.push({
        file: r.file,
        line: r.nameAt.line,
        col: r.nameAt.col,
        message: `rule name "${r.name}" is already used by ${prior.file}`,
      });
      continue;
    }
    byName.set(r.name, r);
    kept.push(r);
  }
  const active: ActiveRule[] = [];
  const filters: CompiledRule[] = [];
  const index = new Map<string, ActiveRule | CompiledRule>();
  const triggers = new Map<string, number>();
  for (const r of kept) {
    if (r.kind === 'filter') {
      filters.push(r);
      index.set(r.name, r);
      continue;
    }
    const ref = (name: string | undefined, where: string) => {
      if (name === undefined) return undefined;
      const target = byName.get(name) ?? referable.get(name);
      if (!target || target.kind !== 'rule') {
        problems.push({
          file: r.file,
          line: r.nameAt.line,
          col: r.nameAt.col,
          message: `${where}: no rule named "${name}"`,
        });
        return undefined;
      }
      return target;
    };
    const base = ref(r.fieldsFrom, 'fieldsFrom');
    const followBase = r.follow ? ref(r.follow.fieldsFrom, 'follow.fieldsFrom') : undefined;
    let trigger = triggers.get(r.when.source);
    if (trigger === undefined) triggers.set(r.when.source, (trigger = triggers.size));
    const a: ActiveRule = {
      rule: r,
      table: fieldTable(base ? [base, r] : [r]),
      followTable: followBase ? fieldTable([followBase]) : undefined,
      trigger,
      routeTypes: r.forEachExternalId?.types.map((t) => t.toLowerCase()),
    };
    active.push(a);
    index.set(r.name, a);
  }
  return { set: { filters, rules: active, byName: index, catalog, candidates: candidateIndex(active) }, problems };
}

/**
 * Triggers that require `type = "..."` (and `event = "..."`) are only worth evaluating for such
 * events: with 50 rules loaded, an identify then evaluates the few identify rules, not all 50.
 * Lists are built on first use per (type, event) and cached, with a bound for unbounded event names.
 */
const CANDIDATE_KEY_BYTES = 1024 * 1024;

function candidateIndex(rules: ActiveRule[]): MappingSet['candidates'] {
  const cache = new Map<string, { list: readonly ActiveRule[]; decide: (scope: Scope) => readonly ActiveRule[] }>();
  // Event names are the client's: the keys are bounded in bytes as well as in number.
  let keyBytes = 0;
  const eventMatters = new Set(
    rules.filter((r) => r.rule.when.requires?.event !== undefined).map((r) => String(r.rule.when.requires?.type)),
  );
  return (type, event, scope) => {
    const key =
      eventMatters.has(type) || eventMatters.has('undefined')
        ? `${type}\u0000${typeof event === 'string' ? event : ''}`
        : type;
    let entry = cache.get(key);
    if (!entry) {
      const list = rules.filter((r) => {
        const req = r.rule.when.requires;
        if (!req) return true;
        if (req.type !== undefined && req.type !== type) return false;
        if (req.event !== undefined && req.event !== event) return false;
        return true;
      });
      // Past the bound (endless event names) the list is used as it is: deciding is worth it only once.
      if (cache.size >= 2000 || keyBytes + key.length > CANDIDATE_KEY_BYTES) return list;
      keyBytes += key.length;
      entry = { list, decide: triggerDecision(list, (r) => r.rule.when.equalities) };
      cache.set(key, entry);
    }
    return scope ? entry.decide(scope) : entry.list;
  };
}

/** Later rules' fields override earlier ones'; the last custom-field rule given applies. */
function fieldTable(chain: CompiledRule[]): FieldTable {
  const byField = new Map<string, CompiledField>();
  let custom: CustomFieldRule | undefined;
  const exprs: CompiledExpression[] = [];
  for (const r of chain) {
    for (const f of r.fields) byField.set(f.field, f);
    if (r.customFields) custom = r.customFields;
    exprs.push(
      ...r.fields.map((f) => f.expr),
      ...r.createDefaults.map((f) => f.expr),
      ...(r.match?.fields.map((f) => f.expr) ?? []),
    );
  }
  const consumed = new Set<string>();
  let customRoot = '';
  if (custom) {
    const root = custom.from.reads.length === 1 ? custom.from.reads[0] : undefined;
    customRoot = root ? root.join('.').replace(/^\$/, '') : custom.from.source;
    if (root) {
      for (const e of exprs) {
        for (const read of e.reads) {
          if (read.length > root.length && root.every((s, i) => read[i] === s)) consumed.add(read[root.length]);
        }
      }
    }
  }
  const fields = [...byField.values()];
  // Keyed by the catalog's metadata objects (a routed rule may write to several objects); a reload
  // builds new tables, so the maps never outlive their catalog.
  const compiled = [new Map<ObjectMetadata | undefined, Fill>(), new Map<ObjectMetadata | undefined, Fill>()];
  const fillFor = (meta: ObjectMetadata | undefined, trim: boolean) => {
    const byMeta = compiled[trim ? 1 : 0];
    let fill = byMeta.get(meta);
    if (!fill) {
      const metas = fields.map((f): FieldMetadata | undefined =>
        meta && Object.hasOwn(meta.fields, f.field) ? meta.fields[f.field] : undefined,
      );
      fill = compileFill(fields, metas, trim);
      byMeta.set(meta, fill);
    }
    return fill;
  };
  const customNames = new Map<string, CustomFieldNames>();
  const customNamesFor = (object: string, meta: ObjectMetadata | undefined) => {
    let names = customNames.get(object);
    if (!names || names.meta !== meta) {
      names = new CustomFieldNames(meta, object, custom!, consumed, customRoot);
      // Objects come from the rules and the catalog, but a routed rule's come from events: bounded.
      if (customNames.size < 1000) customNames.set(object, names);
    }
    return names;
  };
  return { fields, fillFor, customNamesFor, custom, consumed, customRoot };
}
