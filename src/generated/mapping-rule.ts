// Generated from schemas/mapping.schema.json by `npm run schema-types` (scripts/schema-types.ts). Do not edit.

/**
 * One rule per file: when it fires on an event, which Salesforce object it writes, how the record is found, and the property → field table. Every value is a JSONata expression over the event message, with $traits, $properties, $context, $settings and (for externalId routing) $externalId bound.
 */
export type SalesforceMappingRule = {
  $schema?: Schema;
  name: RuleName;
  description?: Description;
  kind?: Kind;
  when: JSONataExpression;
  reason?: FilterReason;
  object?: SalesforceAPIName;
  operation?: Operation;
  syncMode?: SyncMode;
  match?: RecordMatchers;
  matchOperator?: RecordMatchersOperator;
  recordId?: JSONataExpression2;
  externalId?: NativeExternalIdUpsert;
  forEachExternalId?: ContextExternalIdRouting;
  fields?: FieldTable;
  fieldsFrom?: ReuseAFieldTable;
  createDefaults?: CreateOnlyDefaults;
  required?: RequiredFields;
  customFields?: CustomFieldRule;
  sendAsIs?: JSONataExpression6;
  follow?: FollowAFoundRecordElsewhere;
  whenNotFound?: WhenNoRecordMatches;
  createWithMatch?: WriteTheMatchersOnCreate;
  skipFilters?: FiltersThatDoNotApply;
  overrideSkip?: JSONataExpression8;
  bulk?: UseBulkAPI20;
  enabled?: Enabled;
};
/**
 * Path or URL of this schema, for editors. The shipped files use a `# yaml-language-server: $schema=...` comment instead.
 */
export type Schema = string;
/**
 * Unique among the loaded rules; shown as `mapping` in every operation it produces and used by destination.Config.mappings to select it.
 */
export type RuleName = string;
/**
 * What the rule is for, for the people who edit it.
 */
export type Description = string;
/**
 * `rule` (default) produces an operation when `when` is true. `filter` drops the whole event (status 298, with `reason`) when `when` is true; filters run before rules.
 */
export type Kind = 'rule' | 'filter';
/**
 * Evaluated over the event message. Write string constants quoted inside the YAML value: "'n/a'". Numbers, booleans and null are constants. Helpers: $coalesce(a, b, ...), $firstWord(s), $restWords(s), $lastWord(s), $dateOnly(d) → yyyy-MM-dd, $dateTime(d), $hasExternalId(list, prefix), $multiPick(array).
 */
export type JSONataExpression = string | number | boolean | null;
/**
 * For `kind: filter`: the 298 message an event filtered by this rule gets.
 */
export type FilterReason = string;
/**
 * A Salesforce API name: letters, digits and underscores, starting with a letter.
 */
export type SalesforceAPIName = string;
/**
 * create: a new record (with `match`: only when no record matches, else the event is skipped). update: change the record found by `recordId` or `match` (none found → whenNotFound). upsert: update the record found, create when none (several → aborted). delete: remove the record found.
 */
export type Operation = 'create' | 'update' | 'upsert' | 'delete';
/**
 * Segment (Actions) name for the operation: add = create, update, upsert, delete. Use either `operation` or `syncMode`. add with `match` looks the record up first and skips the event when one exists ("If it does exist, Segment skips the record"); without `match` it is a plain create. update and delete written with syncMode skip an event whose record is not found (see whenNotFound).
 */
export type SyncMode = 'add' | 'update' | 'upsert' | 'delete';
/**
 * Evaluated over the event message. Write string constants quoted inside the YAML value: "'n/a'". Numbers, booleans and null are constants. Helpers: $coalesce(a, b, ...), $firstWord(s), $restWords(s), $lastWord(s), $dateOnly(d) → yyyy-MM-dd, $dateTime(d), $hasExternalId(list, prefix), $multiPick(array).
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "expression".
 */
export type JSONataExpression1 = string | number | boolean | null;
/**
 * How several matchers combine in the lookup: OR finds a record matching any of them, AND one matching all.
 */
export type RecordMatchersOperator = 'OR' | 'AND';
/**
 * Evaluated over the event message. Write string constants quoted inside the YAML value: "'n/a'". Numbers, booleans and null are constants. Helpers: $coalesce(a, b, ...), $firstWord(s), $restWords(s), $lastWord(s), $dateOnly(d) → yyyy-MM-dd, $dateTime(d), $hasExternalId(list, prefix), $multiPick(array).
 */
export type JSONataExpression2 = string | number | boolean | null;
/**
 * A Salesforce API name: letters, digits and underscores, starting with a letter.
 */
export type SalesforceAPIName1 = string;
/**
 * Evaluated over the event message. Write string constants quoted inside the YAML value: "'n/a'". Numbers, booleans and null are constants. Helpers: $coalesce(a, b, ...), $firstWord(s), $restWords(s), $lastWord(s), $dateOnly(d) → yyyy-MM-dd, $dateTime(d), $hasExternalId(list, prefix), $multiPick(array).
 */
export type JSONataExpression3 = string | number | boolean | null;
/**
 * The context.externalId entry type this rule handles (case-insensitive), or a list of them. A trailing `*` matches every type with that prefix. rETL types name the destination definition: SALESFORCE-*, SALESFORCE_OAUTH-*, SALESFORCE_OAUTH_SANDBOX-*.
 */
export type EntryType = EntryType1 | EntryType1[];
/**
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "externalIdType".
 */
export type EntryType1 = string;
/**
 * Evaluated over the event message. Write string constants quoted inside the YAML value: "'n/a'". Numbers, booleans and null are constants. Helpers: $coalesce(a, b, ...), $firstWord(s), $restWords(s), $lastWord(s), $dateOnly(d) → yyyy-MM-dd, $dateTime(d), $hasExternalId(list, prefix), $multiPick(array).
 */
export type JSONataExpression4 = string | number | boolean | null;
/**
 * Use the field table and custom-field rule of another rule (its own `fields` add to and override them).
 */
export type ReuseAFieldTable = string;
/**
 * A Salesforce API name: letters, digits and underscores, starting with a letter.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "identifier".
 */
export type SalesforceAPIName2 = string;
/**
 * Fields that must have a value, else the event fails (400) with a message naming the field and its expression.
 */
export type RequiredFields = SalesforceAPIName2[];
/**
 * Evaluated over the event message. Write string constants quoted inside the YAML value: "'n/a'". Numbers, booleans and null are constants. Helpers: $coalesce(a, b, ...), $firstWord(s), $restWords(s), $lastWord(s), $dateOnly(d) → yyyy-MM-dd, $dateTime(d), $hasExternalId(list, prefix), $multiPick(array).
 */
export type JSONataExpression5 = string | number | boolean | null;
/**
 * Appended to a key that is not already a field of the object (testProp → testProp__c).
 */
export type CustomFieldSuffix = string;
/**
 * Keys never sent as custom fields.
 */
export type KeysToLeaveOut = string[];
/**
 * Keys that are never custom fields because they name a spec trait the object has no field for (RudderStack's ignore lists: age, avatar, gender, birthday on a Lead). Unlike `except`, each one present in an event is listed in the operation's `skipped`, with the reason.
 */
export type SpecTraitsWithNoField = string[];
/**
 * Evaluated over the event message. Write string constants quoted inside the YAML value: "'n/a'". Numbers, booleans and null are constants. Helpers: $coalesce(a, b, ...), $firstWord(s), $restWords(s), $lastWord(s), $dateOnly(d) → yyyy-MM-dd, $dateTime(d), $hasExternalId(list, prefix), $multiPick(array).
 */
export type JSONataExpression6 = string | number | boolean | null;
/**
 * Evaluated over the event message. Write string constants quoted inside the YAML value: "'n/a'". Numbers, booleans and null are constants. Helpers: $coalesce(a, b, ...), $firstWord(s), $restWords(s), $lastWord(s), $dateOnly(d) → yyyy-MM-dd, $dateTime(d), $hasExternalId(list, prefix), $multiPick(array).
 */
export type JSONataExpression7 = string | number | boolean | null;
/**
 * A Salesforce API name: letters, digits and underscores, starting with a letter.
 */
export type SalesforceAPIName3 = string;
/**
 * A Salesforce API name: letters, digits and underscores, starting with a letter.
 */
export type SalesforceAPIName4 = string;
/**
 * A Salesforce API name: letters, digits and underscores, starting with a letter.
 */
export type SalesforceAPIName5 = string;
/**
 * The rule whose field table maps the event onto the target object.
 */
export type TargetFieldTable = string;
/**
 * update and delete only: what an event whose matchers find no record gets. skip: nothing is written and the event is delivered (200) with a `skipped` entry NO_RECORD in its /proxy outcome (Segment: "Segment does nothing if the record doesn't exist"). fail: 400 NOT_FOUND, never retried. Default: skip for rules written with `syncMode`, fail for rules written with `operation`.
 */
export type WhenNoRecordMatches = 'skip' | 'fail';
/**
 * An upsert (or a create with matchers, sync mode add) that finds no record creates one with its equality matcher values (match UserId__c = userId stores UserId__c), so the next event finds it. false leaves them out of the created record.
 */
export type WriteTheMatchersOnCreate = boolean;
/**
 * A rule name: lower case letters, digits, '.', '_' and '-'.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "ruleName".
 */
export type RuleName1 = string;
/**
 * Names of filter rules that do not gate this rule. Segment (Actions) never asks for integrations.Salesforce, so Actions-style rules list `integration-flag`; the classic rules do not, and stay opt-in. destination.Config.requireIntegrationFlag: false still turns the flag off for every rule.
 */
export type FiltersThatDoNotApply = RuleName1[];
/**
 * Evaluated over the event message. Write string constants quoted inside the YAML value: "'n/a'". Numbers, booleans and null are constants. Helpers: $coalesce(a, b, ...), $firstWord(s), $restWords(s), $lastWord(s), $dateOnly(d) → yyyy-MM-dd, $dateTime(d), $hasExternalId(list, prefix), $multiPick(array).
 */
export type JSONataExpression8 = string | number | boolean | null;
/**
 * Deliver this rule's operations through Bulk API 2.0 jobs instead of REST collections.
 */
export type UseBulkAPI20 = boolean;
/**
 * false keeps the file loaded (and validated) but the rule never fires unless destination.Config.mappings names it.
 */
export type Enabled = boolean;

/**
 * Field API name → expression giving the value the record must have. Joined by `matchOperator`. A matcher with no value in the event makes that event fail (400), never a query that matches everything.
 */
export interface RecordMatchers {
  [k: string]: JSONataExpression1;
}
/**
 * Upsert by an External ID field in one call (no lookup): PATCH /sobjects/{object}/{field}/{value}.
 */
export interface NativeExternalIdUpsert {
  field: SalesforceAPIName1;
  value: JSONataExpression3;
}
/**
 * Fire once per entry of context.externalId whose `type` matches (case-insensitive), targeting the record whose Id is the entry's `id`. `Salesforce-*` matches every Salesforce entry not claimed by a rule naming its exact type; the object is the part after the prefix. $externalId is bound to the entry.
 */
export interface ContextExternalIdRouting {
  type: EntryType;
  idField?: JSONataExpression4;
}
/**
 * Field API name → JSONata expression. Written on create and on update.
 */
export interface FieldTable {
  [k: string]: JSONataExpression1;
}
/**
 * Written only when the record is created, and only for fields the event did not give a value. Never overwrites data on update.
 */
export interface CreateOnlyDefaults {
  [k: string]: JSONataExpression1;
}
/**
 * Every key of `from` not read by the field table and not in `except` is sent as a field: as it is when it already is a field API name of the object, else with `suffix` appended (testProp → testProp__c). Nested objects are not sent (listed in the operation's `skipped`).
 */
export interface CustomFieldRule {
  from: JSONataExpression5;
  suffix?: CustomFieldSuffix;
  except?: KeysToLeaveOut;
  setAside?: SpecTraitsWithNoField;
}
/**
 * When `enabled` is true and the found record's `when` field is true, the update goes to `object` with the Id held in `idField`, using the field table of rule `fieldsFrom` (a converted Lead → its Contact).
 */
export interface FollowAFoundRecordElsewhere {
  enabled: JSONataExpression7;
  when: SalesforceAPIName3;
  idField: SalesforceAPIName4;
  object: SalesforceAPIName5;
  fieldsFrom: TargetFieldTable;
}
/**
 * Salesforce field API name → JSONata expression. A field whose expression has no value is not sent.
 *
 * This interface was referenced by `undefined`'s JSON-Schema
 * via the `definition` "fieldTable".
 */
export interface FieldTable1 {
  [k: string]: JSONataExpression1;
}
