// One event through the mapping set: filters, then every rule that fires (in file order), each
// producing one operation — or one per context.externalId entry for routing rules. Pure.
import type { Operation } from '../operation/operation.js';
import { isApiName } from '../salesforce/api-names.js';
import type { Json, JsonObject, TransformItem, TransformResult } from './event.js';
import { EventError } from './event-error.js';
import { jsonataBoolean } from './functions.js';
import type { Scope } from './expression.js';
import { buildOperation, NothingToWrite, objectFromType, type RouteTarget } from './build-operation.js';
import { runEvaluated, type Evaluations } from './evaluation.js';
import type { ActiveRule, MappingSet } from './mapping-set.js';
import type { CompiledRule } from './rule.js';
import { RuleSelector } from './rule-selection.js';
import { resolveSettings, SettingsError, type Settings } from './settings.js';

/** Shared by every caller: selections are cached per served mapping set (bounded). */
const defaultSelector = new RuleSelector();

const MESSAGE_TYPES = ['identify', 'group', 'track', 'page', 'screen', 'alias', 'record'] as const;

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Why each rule did or did not fire, for `--explain` and the playground. */
export interface Explanation {
  rule: string;
  fired: boolean;
  why: string;
}

export interface MapOptions {
  explain?: Explanation[];
  /** The rules to use for this item (destination.Config.mappings already applied). */
  select?: (settings: Settings) => MappingSet;
  /** Write each operation's `http` steps (default true); false only checks them (compact answer). */
  http?: boolean;
}

export async function mapEvent(
  item: TransformItem,
  set: MappingSet,
  options: MapOptions = {},
): Promise<TransformResult> {
  return mapEventNow(item, set, options);
}

/** The event's result: synchronous unless one of its expressions needs JSONata (evaluation.ts). */
export function mapEventNow(
  item: TransformItem,
  set: MappingSet,
  options: MapOptions = {},
): TransformResult | Promise<TransformResult> {
  const explain = options.explain;
  const explained = explain?.length ?? 0;
  return runEvaluated((ev) => {
    // A repeated pass explains afresh.
    if (explain) explain.length = explained;
    return mapOnce(ev, item, set, options);
  });
}

function mapOnce(ev: Evaluations, item: TransformItem, set: MappingSet, options: MapOptions): TransformResult {
  const metadata = item.metadata;
  try {
    const settings = resolveItemSettings(item);
    const active = options.select
      ? options.select(settings)
      : settings.mappings
        ? defaultSelector.select(set, settings.mappings, settings.mappingsMode)
        : set;
    const scope = eventScope(item.message, settings);
    const explain = options.explain;

    // A filter that fires drops the event for every rule except those that say it does not apply to
    // them (skipFilters: Segment Actions-style rules are not gated by integrations.Salesforce).
    let dropped: CompiledRule[] | undefined;
    let forced: Set<string> | undefined; // filters whose overrideSkip holds: they gate every rule
    for (const filter of active.filters) {
      if (!filter.enabled) continue;
      const drop = ev.value(filter.when, scope, filter.name, 'when');
      if (jsonataBoolean(drop)) {
        explain?.push({ rule: filter.name, fired: true, why: `filter: ${filter.reason}` });
        (dropped ??= []).push(filter);
        if (filter.overrideSkip && jsonataBoolean(ev.value(filter.overrideSkip, scope, filter.name, 'overrideSkip')))
          (forced ??= new Set()).add(filter.name);
      }
    }
    const filtered = dropped && {
      metadata,
      statusCode: 298 as const,
      error: dropped[0].reason ?? `filtered by ${dropped[0].name}`,
    };
    if (filtered && !active.rules.some((a) => exempt(a.rule, dropped, forced))) return filtered;

    // Which rules fire is decided first: an externalId entry is claimed by a firing rule that names
    // its exact type, and only the rest go to `Salesforce-*` rules.
    const firing: ActiveRule[] = [];
    // With --explain every rule is evaluated, so each gets its reason; otherwise only candidates.
    const input = scope.input as { type: string; event?: unknown };
    const considered = explain ? active.rules : active.candidates(input.type, input.event, scope);
    // Rules whose triggers have the same text (ActiveRule.trigger) share its value for this event.
    let lastTrigger = -1;
    let lastFires = false;
    for (let i = 0; i < considered.length; i++) {
      const a = considered[i];
      const rule = a.rule;
      if (!exempt(rule, dropped, forced)) {
        explain?.push({ rule: rule.name, fired: false, why: `filtered by ${dropped!.map((f) => f.name).join(', ')}` });
        continue;
      }
      if (!rule.enabled && !active.selected) {
        explain?.push({
          rule: rule.name,
          fired: false,
          why: 'disabled (enabled: false); name it in destination.Config.mappings to use it',
        });
        continue;
      }
      if (a.trigger !== lastTrigger) {
        lastFires = jsonataBoolean(ev.value(rule.when, scope, rule.name, 'when'));
        lastTrigger = a.trigger;
      }
      if (!lastFires) {
        explain?.push({ rule: rule.name, fired: false, why: `when is false: ${rule.when.source}` });
        continue;
      }
      firing.push(a);
    }
    const output: Operation[] = [];
    const nothing: string[] = [];
    const http = options.http !== false;
    for (let i = 0; i < firing.length; i++) {
      const a = firing[i];
      const rule = a.rule;
      if (rule.forEachExternalId) {
        const targets = routeTargets(ev, a, scope, active, firing);
        if (targets.length === 0) {
          explain?.push({
            rule: rule.name,
            fired: false,
            why: `no context.externalId entry of type ${rule.forEachExternalId.type}`,
          });
          continue;
        }
        for (const t of targets) {
          addOperation(output, nothing, ev, a, routedScope(scope, t.entry), settings, active.catalog, http, t.target);
        }
      } else {
        addOperation(output, nothing, ev, a, scope, settings, active.catalog, http);
      }
      explain?.push({ rule: rule.name, fired: true, why: `when is true: ${rule.when.source}` });
    }
    if (output.length === 0 && nothing.length > 0) {
      return { metadata, statusCode: 400, error: nothing.join('; '), errorCode: 'NOTHING_TO_WRITE' };
    }
    if (output.length === 0 && filtered) return filtered;
    if (output.length === 0) {
      const type = (item.message as { type?: string }).type;
      const name = type === 'track' && typeof item.message.event === 'string' ? ` "${item.message.event}"` : '';
      const rules =
        active.rules
          .filter((r) => r.rule.enabled || active.selected)
          .map((r) => r.rule.name)
          .join(', ') || 'none';
      return { metadata, statusCode: 298, error: `no mapping fires for ${type} event${name} (rules: ${rules})` };
    }
    return { metadata, statusCode: 200, output };
  } catch (err) {
    if (err instanceof EventError) return { metadata, statusCode: 400, error: err.message, errorCode: err.errorCode };
    if (err instanceof SettingsError)
      return { metadata, statusCode: 400, error: err.message, errorCode: 'INVALID_SETTINGS' };
    throw err;
  }
}

/** Whether `rule` still applies once the `dropped` filters fired (`forced`: those that gate every rule). */
function exempt(
  rule: CompiledRule,
  dropped: readonly CompiledRule[] | undefined,
  forced: ReadonlySet<string> | undefined,
) {
  return !dropped || dropped.every((f) => rule.skipFilters.has(f.name) && !forced?.has(f.name));
}

/** The rule's operation into `output`, or why it had nothing to write into `nothing`. */
function addOperation(
  output: Operation[],
  nothing: string[],
  ev: Evaluations,
  a: ActiveRule,
  scope: Scope,
  settings: Settings,
  catalog: MappingSet['catalog'],
  http: boolean,
  target?: RouteTarget,
): void {
  try {
    output.push(buildOperation(ev, a, scope, settings, catalog, target, http));
  } catch (err) {
    if (!(err instanceof NothingToWrite)) throw err;
    nothing.push(err.message);
  }
}

function resolveItemSettings(item: TransformItem): Settings {
  const dest = item.destination;
  if (dest !== undefined && !isObject(dest)) throw new SettingsError('destination must be an object');
  return resolveSettings(dest?.Config as JsonObject | undefined);
}

/** Validates the message's shape and binds the variables mapping expressions use. */
function eventScope(message: Json, settings: Settings): Scope {
  if (!isObject(message)) throw new EventError('message must be an object', 'INVALID_EVENT');
  const rawType = message.type;
  if (rawType === undefined || rawType === null || rawType === '')
    throw new EventError('message.type is missing', 'INVALID_EVENT');
  if (typeof rawType !== 'string')
    throw new EventError(
      `message.type must be a string (got ${Array.isArray(rawType) ? 'a list' : `a ${typeof rawType}`})`,
      'INVALID_EVENT',
    );
  if (rawType.trim() === '') throw new EventError('message.type is missing', 'INVALID_EVENT');
  const type = rawType.trim().toLowerCase();
  if (!(MESSAGE_TYPES as readonly string[]).includes(type)) {
    throw new EventError(`message.type "${rawType}" is not one of ${MESSAGE_TYPES.join(', ')}`, 'INVALID_EVENT');
  }
  const input = type === rawType ? message : { ...message, type };
  for (const key of ['traits', 'properties', 'context', 'integrations'] as const) {
    const v = message[key];
    if (v !== undefined && v !== null && !isObject(v))
      throw new EventError(`message.${key} must be an object`, 'INVALID_EVENT');
  }
  const context = (message.context ?? undefined) as JsonObject | undefined;
  if (context?.traits !== undefined && context.traits !== null && !isObject(context.traits)) {
    throw new EventError('message.context.traits must be an object', 'INVALID_EVENT');
  }
  // CONTRACT: traits are read from `traits`, else `context.traits`.
  const traits = isObject(message.traits) ? message.traits : isObject(context?.traits) ? context.traits : undefined;
  const vars: EventVars = { traits, properties: message.properties ?? undefined, context, settings };
  return { input, vars };
}

/** The variables an event binds for its expressions (eventScope), `$externalId` for routed rules. */
interface EventVars extends Record<string, unknown> {
  traits: JsonObject | undefined;
  properties: Json | undefined;
  context: JsonObject | undefined;
  settings: Settings;
  externalId?: JsonObject;
}

/**
 * The event's scope with `$externalId` bound to one context.externalId entry. Written out rather
 * than spread: an object spread per routed operation was the dearest line of mapOnce.
 */
function routedScope(scope: Scope, entry: JsonObject): Scope {
  const v = scope.vars as EventVars;
  const vars: EventVars = {
    traits: v.traits,
    properties: v.properties,
    context: v.context,
    settings: v.settings,
    externalId: entry,
  };
  return { input: scope.input, vars };
}

function longestMatch(
  types: readonly string[],
  lower: readonly string[],
  type: string,
  wildcard: boolean,
): string | undefined {
  let best: string | undefined;
  for (let i = 0; i < lower.length; i++) {
    const p = lower[i];
    if ((wildcard ? type.startsWith(p) : type === p) && (best === undefined || p.length > best.length)) best = types[i];
  }
  return best;
}

/** Whether a firing rule that names this exact entry type (lower case) claims the entry. */
function claimed(firing: readonly ActiveRule[], type: string): boolean {
  for (const a of firing) {
    if (a.routeTypes && !a.rule.forEachExternalId!.wildcard && a.routeTypes.includes(type)) return true;
  }
  return false;
}

interface Routed {
  entry: JsonObject;
  target: RouteTarget;
}

function routeTargets(
  ev: Evaluations,
  a: ActiveRule,
  scope: Scope,
  set: MappingSet,
  firing: readonly ActiveRule[],
): Routed[] {
  const route = a.rule.forEachExternalId!;
  const list = (scope.vars.context as JsonObject | undefined)?.externalId;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list))
    throw new EventError('context.externalId must be a list of {type, id} entries', 'INVALID_EXTERNAL_ID');
  const out: Routed[] = [];
  for (let i = 0; i < list.length; i++) {
    const entry: unknown = list[i];
    if (!isObject(entry) || typeof entry.type !== 'string') continue;
    const type = entry.type.toLowerCase();
    // The longest matching prefix names the object: SALESFORCE_OAUTH-x is not SALESFORCE- + OAUTH-x.
    const prefix = longestMatch(route.types, a.routeTypes!, type, route.wildcard);
    if (prefix === undefined || (route.wildcard && claimed(firing, type))) continue;
    const place = `context.externalId[${i}]`;
    const object = route.wildcard ? objectFromType(entry.type, prefix, set.catalog) : a.rule.object!;
    if (!object) {
      throw new EventError(
        `${place}.type "${entry.type}" does not name a Salesforce object this destination knows`,
        'INVALID_EXTERNAL_ID',
      );
    }
    const id = entry.id;
    // Seed 003: "it makes a PATCH request if there is an id present ... Otherwise, a new record is
    // created" — an entry without an id is a create (buildOperation); a delete still needs one.
    if (id === undefined || id === null || id === '') {
      if (a.rule.operation === 'delete')
        throw new EventError(`${place} (${entry.type}) has no id: nothing to delete`, 'INVALID_EXTERNAL_ID');
      out.push({ entry, target: { object, place, idField: 'Id' } });
      continue;
    }
    if (typeof id !== 'string' && typeof id !== 'number') {
      throw new EventError(
        `${place} (${entry.type}).id must be text or a number, not ${Array.isArray(id) ? 'a list' : typeof id}`,
        'INVALID_EXTERNAL_ID',
      );
    }
    let idField = 'Id';
    if (route.idField) {
      const f = ev.value(route.idField, routedScope(scope, entry), a.rule.name, 'forEachExternalId.idField');
      if (f !== undefined && f !== null && f !== '') {
        if (!isApiName(f)) {
          throw new EventError(
            `${place}.identifierType ${JSON.stringify(f)} is not a Salesforce field name`,
            'INVALID_EXTERNAL_ID',
          );
        }
        idField = f.toLowerCase() === 'id' ? 'Id' : f;
      }
    }
    out.push({ entry, target: { object, place, idField, id } });
  }
  return out;
}
