// A mapping rule after loading: every expression compiled, every name checked. Built once per file.
import type * as schema from '../generated/mapping-rule.js';
import type { MatchOperator, OperationKind } from '../operation/operation.js';
import type { CompiledExpression } from './expression.js';

export interface CompiledField {
  field: string;
  expr: CompiledExpression;
  /** `fields.Email`: where it is in the file, for messages (built once, not per event). */
  where: string;
}

export interface CustomFieldRule {
  from: CompiledExpression;
  suffix: string;
  except: ReadonlySet<string>;
  /** Spec traits with no field: never custom fields, each listed in `skipped` when present. */
  setAside: ReadonlySet<string>;
}

export interface CompiledRule {
  name: string;
  file: string;
  /** Where `name:` is in the file, for problems found across files. */
  nameAt: { line: number; col: number };
  description?: string;
  kind: 'rule' | 'filter';
  enabled: boolean;
  when: CompiledExpression;
  reason?: string;
  object?: string;
  operation: OperationKind;
  match?: { operator: MatchOperator; fields: CompiledField[] };
  recordId?: CompiledExpression;
  externalId?: { field: string; value: CompiledExpression };
  /**
   * `types` are the entry types handled (case as written, without the `*`), all exact or all
   * prefixes (`wildcard`); `type` is how messages name them.
   */
  forEachExternalId?: { type: string; types: string[]; wildcard: boolean; idField?: CompiledExpression };
  fields: CompiledField[];
  fieldsFrom?: string;
  createDefaults: CompiledField[];
  required: string[];
  customFields?: CustomFieldRule;
  sendAsIs?: CompiledExpression;
  follow?: { enabled: CompiledExpression; when: string; idField: string; object: string; fieldsFrom: string };
  bulk: boolean;
  /** An upsert's equality matchers are written on the record it creates (default true). */
  createWithMatch: boolean;
  /**
   * An update or delete whose matchers find no record: skip (Segment: "does nothing") or fail
   * (400 NOT_FOUND). Default skip for rules written with `syncMode`, fail for the others.
   */
  whenNotFound: WhenNotFound;
  /** Names of filters that do not apply to this rule (Actions-style rules and the integration flag). */
  skipFilters: ReadonlySet<string>;
  /** Filters only: when true, the filter also gates the rules that list it in skipFilters. */
  overrideSkip?: CompiledExpression;
}

/**
 * The raw shape of a mapping file: derived from schemas/mapping.schema.json
 * (src/generated/mapping-rule.ts, `npm run schema-types`), so a key the schema gains is a key
 * the loader sees. Change the schema, not this alias.
 */
export type RawRule = schema.SalesforceMappingRule;

export type WhenNotFound = NonNullable<RawRule['whenNotFound']>;

/** Segment (Actions) sync modes are names for our operations: one definition, two spellings. */
export const syncModeOperation: Record<NonNullable<RawRule['syncMode']>, OperationKind> = {
  add: 'create',
  update: 'update',
  upsert: 'upsert',
  delete: 'delete',
};
