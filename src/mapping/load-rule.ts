// Turns one mapping file's text into a CompiledRule, or into every problem it has, each located at
// file:line:col: YAML syntax, schema violations, JSONata syntax and Salesforce names alike.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { oneByteStrings } from './one-byte-strings.js';
import { MAX_API_NAME_LENGTH } from '../salesforce/api-names.js';
import type { ObjectCatalog } from '../salesforce/object-metadata.js';
import {
  compileExpression,
  ExpressionSyntaxError,
  type CompiledExpression,
  type CompileOptions,
} from './expression.js';
import type { Problem } from './problem.js';
import { checkRule } from './rule-checks.js';
import { ruleWarnings } from './rule-warnings.js';
import { syncModeOperation, type CompiledField, type CompiledRule, type RawRule } from './rule.js';
import { SourceLocator } from './source-locator.js';

const schemaPath = fileURLToPath(new URL('../../schemas/mapping.schema.json', import.meta.url));
const mappingSchema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  // allErrors: mapping files are trusted configuration and the editor wants every problem at once.
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(mappingSchema);
  return validator;
}

export interface LoadedRule {
  file: string;
  rule?: CompiledRule;
  problems: Problem[];
  /** The rule loads, but probably does not do what its author meant (rule-warnings.ts). */
  warnings?: Problem[];
}

/** `options.trust: 'clients'` for rules a request carries (inline, playground): their JSONata runs in that sandbox pool. */
export function loadRuleText(
  file: string,
  text: string,
  catalog: ObjectCatalog,
  options: CompileOptions = {},
): LoadedRule {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const locator = new SourceLocator(file, text, doc, lines);
  if (doc.errors.length > 0) {
    return { file, problems: doc.errors.map((e) => locator.at(e.pos[0], `YAML: ${e.message.split('\n')[0]}`)) };
  }
  let data: unknown;
  try {
    data = oneByteStrings(doc.toJS());
  } catch (err) {
    // yaml refuses alias bombs (billion laughs) while building values: a problem like any other.
    return { file, problems: [locator.at(0, `YAML: ${(err as Error).message}`)] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      file,
      problems: [locator.at(0, 'a mapping file holds one rule: an object with name, when, object, operation, ...')],
    };
  }
  const v = validate();
  if (!v(data)) return { file, problems: schemaProblems(v.errors ?? [], locator) };

  const raw = data as RawRule;
  const problems: Problem[] = [];
  const compile = (path: (string | number)[], source: RawRule['when']): CompiledExpression => {
    try {
      return compileExpression(source, options);
    } catch (err) {
      if (!(err instanceof ExpressionSyntaxError)) throw err;
      problems.push(
        locator.atExpression(
          path,
          String(source),
          err.offset,
          `JSONata syntax error in ${path.join('.')}: ${err.message} (${err.code})`,
        ),
      );
      return compileExpression(null);
    }
  };
  const table = (
    key: 'fields' | 'createDefaults' | 'match',
    t: Record<string, RawRule['when']> | undefined,
  ): CompiledField[] =>
    Object.entries(t ?? {}).map(([field, src]) => ({
      field,
      expr: compile([key, field], src),
      where: `${key}.${field}`,
    }));

  const kind = raw.kind ?? 'rule';
  const rule: CompiledRule = {
    name: raw.name,
    file,
    nameAt: locator.atPath(['name'], ''),
    description: raw.description,
    kind,
    enabled: raw.enabled ?? true,
    when: compile(['when'], raw.when),
    reason: raw.reason,
    object: raw.object,
    operation: raw.operation ?? syncModeOperation[raw.syncMode ?? 'upsert'],
    match: raw.match ? { operator: raw.matchOperator ?? 'OR', fields: table('match', raw.match) } : undefined,
    recordId: raw.recordId !== undefined ? compile(['recordId'], raw.recordId) : undefined,
    externalId: raw.externalId
      ? { field: raw.externalId.field, value: compile(['externalId', 'value'], raw.externalId.value) }
      : undefined,
    forEachExternalId: raw.forEachExternalId
      ? {
          ...externalIdTypes(raw.forEachExternalId.type),
          idField:
            raw.forEachExternalId.idField !== undefined
              ? compile(['forEachExternalId', 'idField'], raw.forEachExternalId.idField)
              : undefined,
        }
      : undefined,
    fields: table('fields', raw.fields),
    fieldsFrom: raw.fieldsFrom,
    createDefaults: table('createDefaults', raw.createDefaults),
    required: raw.required ?? [],
    customFields: raw.customFields
      ? {
          from: compile(['customFields', 'from'], raw.customFields.from),
          suffix: raw.customFields.suffix ?? '__c',
          except: new Set(raw.customFields.except ?? []),
          setAside: new Set(raw.customFields.setAside ?? []),
        }
      : undefined,
    sendAsIs: raw.sendAsIs !== undefined ? compile(['sendAsIs'], raw.sendAsIs) : undefined,
    follow: raw.follow ? { ...raw.follow, enabled: compile(['follow', 'enabled'], raw.follow.enabled) } : undefined,
    bulk: raw.bulk ?? false,
    skipFilters: new Set(raw.skipFilters ?? []),
    overrideSkip: raw.overrideSkip !== undefined ? compile(['overrideSkip'], raw.overrideSkip) : undefined,
    createWithMatch: raw.createWithMatch ?? true,
    // Segment's sync modes do nothing when no record matches; the classic spelling keeps failing.
    whenNotFound: raw.whenNotFound ?? (raw.syncMode !== undefined ? 'skip' : 'fail'),
  };
  problems.push(...checkRule(rule, raw, catalog, locator));
  return problems.length > 0 ? { file, problems } : { file, rule, problems, warnings: ruleWarnings(rule, locator) };
}

/** `Salesforce-*` or a list of such types: the prefixes, and whether they are prefixes at all. */
function externalIdTypes(raw: string | string[]): { type: string; types: string[]; wildcard: boolean } {
  const list = Array.isArray(raw) ? raw : [raw];
  return {
    type: list.join(', '),
    types: list.map((t) => t.replace(/\*$/, '')),
    wildcard: list.some((t) => t.endsWith('*')),
  };
}

/** Schema errors, worded for a person and placed on the offending key or value (also used for source configs). */
export function schemaProblems(errors: ErrorObject[], locator: SourceLocator): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // if/anyOf wrappers repeat what their concrete branch already said.
    if (e.keyword === 'if' || e.keyword === 'anyOf') continue;
    const path =
      e.instancePath === ''
        ? []
        : e.instancePath
            .slice(1)
            .split('/')
            .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const where = path.length === 0 ? '' : `${path.join('.')}: `;
    let p: Problem;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        p = locator.atKey(path, key, `${where}unknown key "${key}"`);
        break;
      }
      case 'required': {
        const key = (e.params as { missingProperty: string }).missingProperty;
        const what = key === 'operation' ? 'one of "operation" or "syncMode"' : `"${key}"`;
        p = locator.atPath(path, `${where}missing ${what}`);
        break;
      }
      case 'enum':
        p = locator.atPath(
          path,
          `${where}must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`,
        );
        break;
      case 'propertyNames': {
        const key = (e.params as { propertyName: string }).propertyName;
        p = locator.atKey(
          path,
          key,
          `${where}"${key}" is not a Salesforce API name (letters, digits, _; starting with a letter; at most ${MAX_API_NAME_LENGTH} characters)`,
        );
        break;
      }
      case 'pattern':
      case 'maxLength':
        // propertyNames failures arrive twice (pattern or maxLength, then propertyNames); the latter names the key.
        if ((e as { propertyName?: string }).propertyName !== undefined) continue;
        p = locator.atPath(
          path,
          e.keyword === 'pattern'
            ? `${where}must match ${(e.params as { pattern: string }).pattern}`
            : `${where}${e.message ?? 'is too long'}`,
        );
        break;
      case 'not':
        p = locator.atPath(path, `${where}use either "operation" or "syncMode", not both`);
        break;
      default:
        p = locator.atPath(path, `${where}${e.message ?? 'is invalid'}`);
    }
    const k = `${p.line}:${p.col}:${p.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(p);
    }
  }
  return out;
}
