// Warnings about a rule that still loads: things that are valid JSONata and valid Salesforce names
// but almost certainly not what the author meant. A warning never stops a rule from serving; it is
// reported by `sfmap validate`, in GET /health and in the log at load and reload, at file:line:col.
import type { Problem } from './problem.js';
import type { CompiledField, CompiledRule } from './rule.js';
import type { SourceLocator } from './source-locator.js';

/**
 * The top-level keys a Segment / RudderStack message can have (the spec's common and per-type
 * fields, and RudderStack's rETL record events). A bare word that is one of these is a real read.
 */
const EVENT_ROOTS: ReadonlySet<string> = new Set([
  'type',
  'event',
  'name',
  'category',
  'userId',
  'anonymousId',
  'groupId',
  'previousId',
  'traits',
  'properties',
  'context',
  'integrations',
  'timestamp',
  'originalTimestamp',
  'sentAt',
  'receivedAt',
  'messageId',
  'channel',
  'version',
  'rudderId',
  'request_ip',
  'action',
  'fields',
  'recordId',
  'identifiers',
]);

/** One word and nothing else: JSONata reads it as the event's top-level key of that name. */
const BARE_WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const JSONATA_LITERALS = new Set(['true', 'false', 'null']);

/** `Origin: Web` reads event.Web, which no event has: the author meant the text 'Web'. */
function bareWordWarning(f: CompiledField, path: (string | number)[], at: SourceLocator): Problem | undefined {
  const word = f.expr.source.trim();
  if (!BARE_WORD.test(word) || JSONATA_LITERALS.has(word) || EVENT_ROOTS.has(word)) return undefined;
  return at.atPath(path, `"${word}" reads the event path ${word}; for the text write "'${word}'"`);
}

export function ruleWarnings(rule: CompiledRule, at: SourceLocator): Problem[] {
  const out: Problem[] = [];
  const tables: Array<[string, CompiledField[]]> = [
    ['fields', rule.fields],
    ['createDefaults', rule.createDefaults],
    ['match', rule.match?.fields ?? []],
  ];
  for (const [key, fields] of tables) {
    for (const f of fields) {
      const w = bareWordWarning(f, [key, f.field], at);
      if (w) out.push(w);
    }
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}
