// destination.Config.mappings: a destination may name the rules it wants (shipped files, including
// ones that are `enabled: false` by default) or carry inline rules (same schema as the files).
// Each distinct selection is built once and cached (bounded in entries and bytes), never per event.
import { LRUCache } from 'lru-cache';
import { EventError } from './event-error.js';
import type { Json } from './event.js';
import { didYouMean } from './did-you-mean.js';
import { loadRuleText } from './load-rule.js';
import { buildMappingSet, type MappingSet } from './mapping-set.js';
import { inlinePolicy, INLINE_OFF_MESSAGE } from './inline-policy.js';
import { formatProblem } from './problem.js';
import type { CompiledRule } from './rule.js';
import type { ObjectCatalog } from '../salesforce/object-metadata.js';
import type { MappingsMode } from './settings.js';

type Built = { set: MappingSet } | { error: string };
type Inline = { rule: CompiledRule } | { error: string };

/**
 * A compiled rule holds its text several times over (AST, closures, messages): its cache cost is
 * counted as this many times the bytes of the text that keys it.
 */
const COMPILED_BYTES_PER_CHAR = 16;
/** Cache budgets; a selection's key is the list of its rules' texts. */
const SELECTION_CACHE_BYTES = 64 * 1024 * 1024;
const INLINE_CACHE_BYTES = 64 * 1024 * 1024;

const costOf = (_v: unknown, key: string) => Math.max(1, key.length * COMPILED_BYTES_PER_CHAR);
const cacheOptions = (max: number, maxSize: number) => ({
  max,
  maxSize,
  maxEntrySize: maxSize / 8,
  sizeCalculation: costOf,
});

export class RuleSelector {
  private readonly selections = new WeakMap<MappingSet, LRUCache<string, Built>>();
  // Keyed on the catalog too: a compiled rule depends on the object metadata it was checked against,
  // and a reload builds a new catalog, so a field that became read-only is caught on the next event.
  private readonly inline = new WeakMap<ObjectCatalog, LRUCache<string, Inline>>();

  constructor(private readonly maxSelections = 200) {}

  /** The rules a destination asked for, built on the served set `base`; throws the event's 400. */
  select(base: MappingSet, mappings: readonly Json[], mode: MappingsMode = 'add'): MappingSet {
    let cache = this.selections.get(base);
    if (!cache) {
      cache = new LRUCache<string, Built>(cacheOptions(this.maxSelections, SELECTION_CACHE_BYTES));
      this.selections.set(base, cache);
    }
    const key = `${mode}\u0000${JSON.stringify(mappings)}`;
    let built = cache.get(key);
    if (!built) {
      built = this.build(base, mappings, mode);
      cache.set(key, built);
    }
    if ('error' in built) throw new EventError(built.error, 'INVALID_MAPPING');
    return built.set;
  }

  private build(base: MappingSet, mappings: readonly Json[], mode: MappingsMode): Built {
    const refusal = checkInline(mappings);
    if (refusal) return { error: refusal };
    const library = [...base.byName.values()].map((r) => ('rule' in r ? r.rule : r));
    const chosen: CompiledRule[] = [];
    for (const [i, m] of mappings.entries()) {
      const place = `destination.Config.mappings[${i}]`;
      if (typeof m === 'string') {
        const found = base.byName.get(m);
        if (!found) return { error: `${place}: no mapping named "${m}"${didYouMean(m, base.byName.keys())}` };
        chosen.push('rule' in found ? found.rule : found);
      } else if (m !== null && typeof m === 'object' && !Array.isArray(m)) {
        const compiled = this.compileInline(place, m, base);
        if ('error' in compiled) return compiled;
        chosen.push(compiled.rule);
      } else {
        return { error: `${place}: expected a mapping name or an inline mapping object` };
      }
    }
    // Filters (the integration flag) keep applying unless the selection names filters itself.
    const filters = chosen.some((r) => r.kind === 'filter') ? [] : base.filters;
    // mappingsMode add (the default): the named rules join the shipped ones that are on; a rule
    // named twice (already on, or named again) counts once. replace: only the named rules.
    const shipped = mode === 'add' ? base.rules.map((a) => a.rule).filter((r) => r.enabled) : [];
    const names = new Set<string>();
    const rules = [...filters, ...shipped, ...chosen].filter((r) => !names.has(r.name) && Boolean(names.add(r.name)));
    const { set, problems } = buildMappingSet(rules, base.catalog, library);
    if (problems.length > 0) return { error: problems.map(formatProblem).join('; ') };
    return { set: { ...set, selected: true } };
  }

  private compileInline(place: string, m: Json, base: MappingSet): Inline {
    // Pretty JSON so that line:col in a problem points somewhere sensible in the rule as sent.
    const text = JSON.stringify(m, null, 2);
    const key = `${place}\u0000${text}`;
    let cache = this.inline.get(base.catalog);
    if (!cache) {
      cache = new LRUCache<string, Inline>(cacheOptions(500, INLINE_CACHE_BYTES));
      this.inline.set(base.catalog, cache);
    }
    let hit = cache.get(key);
    if (!hit) {
      const loaded = loadRuleText(place, text, base.catalog, { trust: 'clients' });
      hit = loaded.rule ? { rule: loaded.rule } : { error: loaded.problems.map(formatProblem).join('; ') };
      cache.set(key, hit);
    }
    return hit;
  }
}

/** The operator's limits on inline rules, checked before anything is compiled or cached. */
function checkInline(mappings: readonly Json[]): string | undefined {
  let inline = 0;
  for (const [i, m] of mappings.entries()) {
    if (m === null || typeof m !== 'object' || Array.isArray(m)) continue;
    const place = `destination.Config.mappings[${i}]`;
    if (inlinePolicy.mode === 'off') return `${place}: ${INLINE_OFF_MESSAGE}`;
    if (++inline > inlinePolicy.maxRules)
      return `destination.Config.mappings: more than ${inlinePolicy.maxRules} inline rules (MAX_INLINE_RULES)`;
    const bytes = Buffer.byteLength(JSON.stringify(m));
    if (bytes > inlinePolicy.maxRuleBytes)
      return `${place}: the inline rule is ${bytes} bytes, more than ${inlinePolicy.maxRuleBytes} (MAX_INLINE_RULE_BYTES)`;
  }
  if (mappings.length > inlinePolicy.maxRules * 10)
    return `destination.Config.mappings: ${mappings.length} entries is more than ${inlinePolicy.maxRules * 10}`;
  return undefined;
}
