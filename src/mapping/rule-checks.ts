// Checks a compiled rule against Salesforce object metadata and its own logic, at load time, so a
// misspelt field, a write to a read-only field or an upsert with no way to find its record is
// reported in the file, not discovered by an event.
import { isCustomName } from '../salesforce/api-names.js';
import { resolveFieldName } from '../salesforce/object-catalog.js';
import type { ObjectCatalog, ObjectMetadata } from '../salesforce/object-metadata.js';
import { didYouMean } from './did-you-mean.js';
import type { Problem } from './problem.js';
import type { CompiledRule, RawRule } from './rule.js';
import type { SourceLocator } from './source-locator.js';

export function checkRule(rule: CompiledRule, raw: RawRule, catalog: ObjectCatalog, at: SourceLocator): Problem[] {
  const problems: Problem[] = [];
  if (rule.kind !== 'filter' && rule.overrideSkip)
    problems.push(at.atKey([], 'overrideSkip', '"overrideSkip" applies to filters (kind: filter) only'));
  if (rule.kind === 'filter') return problems;

  const findsRecord = rule.match || rule.recordId || rule.externalId || rule.forEachExternalId;
  const opKey = raw.operation !== undefined ? 'operation' : 'syncMode';
  if ((rule.operation === 'update' || rule.operation === 'delete' || rule.operation === 'upsert') && !findsRecord) {
    problems.push(
      at.atPath(
        [opKey],
        `${rule.operation} needs a way to find the record: "match" (record matchers), "recordId", "externalId" or "forEachExternalId"`,
      ),
    );
  }
  if (rule.operation === 'create' && (rule.recordId || rule.externalId)) {
    problems.push(
      at.atPath(
        [opKey],
        'create makes a new record: remove "recordId"/"externalId" (with "match" it creates only when no record matches, like sync mode add), or use upsert',
      ),
    );
  }
  if (raw.whenNotFound !== undefined && rule.operation !== 'update' && rule.operation !== 'delete') {
    problems.push(
      at.atKey(
        [],
        'whenNotFound',
        `"whenNotFound" applies to update and delete; ${rule.operation} ${rule.operation === 'create' ? 'makes a record' : 'creates the record'} when none is found`,
      ),
    );
  }
  if (rule.externalId && rule.operation !== 'upsert') {
    problems.push(
      at.atPath(
        ['externalId'],
        `"externalId" is a native upsert key; the operation must be upsert, not ${rule.operation}`,
      ),
    );
  }
  if (
    (rule.operation === 'upsert' || rule.operation === 'create') &&
    rule.match?.fields.some((f) => f.field === 'Id')
  ) {
    problems.push(
      at.atKey(
        ['match'],
        'Id',
        `${rule.operation} cannot match on Id: a record that is not found cannot be created with a given Id; use update (or match another field)`,
      ),
    );
  }
  if (
    rule.externalId &&
    rule.bulk &&
    rule.fields.some((f) => f.field.toLowerCase() === rule.externalId!.field.toLowerCase())
  ) {
    // A Bulk upsert's CSV names the key column once; the same field in `fields` would be a second
    // column of that name (or a second value for it), which Bulk refuses for the whole job.
    problems.push(
      at.atKey(
        ['fields'],
        rule.fields.find((f) => f.field.toLowerCase() === rule.externalId!.field.toLowerCase())!.field,
        `${rule.externalId.field} is the Bulk upsert's external id: it is sent from externalId.value, remove it from fields`,
      ),
    );
  }
  if (rule.externalId && rule.createDefaults.length > 0) {
    problems.push(
      at.atPath(
        ['createDefaults'],
        'createDefaults cannot apply to a native externalId upsert (Salesforce decides create or update in one call); find the record with "match" instead',
      ),
    );
  }
  if (!rule.object && !rule.forEachExternalId?.wildcard) {
    problems.push(
      at.atPath([], 'missing "object" (only a forEachExternalId rule with a type ending in * may leave it out)'),
    );
  }
  const route = raw.forEachExternalId;
  if (Array.isArray(route?.type) && new Set(route.type.map((t) => t.endsWith('*'))).size > 1) {
    problems.push(
      at.atPath(['forEachExternalId', 'type'], 'the types must all end in * (prefixes) or none (exact types)'),
    );
  }
  if (rule.forEachExternalId && !rule.forEachExternalId.wildcard && rule.object === undefined) {
    problems.push(at.atPath(['forEachExternalId'], 'an exact forEachExternalId type needs "object"'));
  }

  if (rule.object) {
    const meta = catalog.get(rule.object);
    if (!meta && !isCustomName(rule.object)) {
      problems.push(
        at.atPath(
          ['object'],
          `unknown Salesforce object "${rule.object}"${didYouMean(rule.object, catalog.keys())}; describe it in mappings/salesforce/objects/ to use it`,
        ),
      );
    } else if (meta) {
      checkFields(meta, ['fields'], Object.keys(raw.fields ?? {}), 'write', at, problems);
      checkFields(meta, ['createDefaults'], Object.keys(raw.createDefaults ?? {}), 'write', at, problems);
      checkFields(meta, ['match'], Object.keys(raw.match ?? {}), 'match', at, problems);
      checkFields(meta, ['required'], rule.required, 'exist', at, problems);
      if (rule.externalId) checkFields(meta, ['externalId'], [rule.externalId.field], 'externalId', at, problems);
      if (rule.follow) checkFields(meta, ['follow'], [rule.follow.when, rule.follow.idField], 'exist', at, problems);
    }
  }
  if (rule.follow) {
    const target = catalog.get(rule.follow.object);
    if (!target && !isCustomName(rule.follow.object)) {
      problems.push(
        at.atPath(
          ['follow', 'object'],
          `unknown Salesforce object "${rule.follow.object}"${didYouMean(rule.follow.object, catalog.keys())}`,
        ),
      );
    }
  }
  return problems;
}

type Use = 'write' | 'match' | 'exist' | 'externalId';

function checkFields(
  meta: ObjectMetadata,
  path: string[],
  names: string[],
  use: Use,
  at: SourceLocator,
  out: Problem[],
): void {
  names.forEach((name, i) => {
    const where = (msg: string) =>
      path[0] === 'required' || path[0] === 'externalId' || path[0] === 'follow'
        ? at.atPath(path[0] === 'required' ? ['required', i] : path, msg)
        : at.atKey(path, name, msg);
    const canonical = resolveFieldName(meta, name);
    if (!canonical) {
      if (isCustomName(name)) return;
      out.push(where(`${meta.name} has no field "${name}"${didYouMean(name, Object.keys(meta.fields))}`));
      return;
    }
    if (canonical !== name) {
      out.push(where(`${meta.name} field is spelt "${canonical}", not "${name}"`));
      return;
    }
    const f = meta.fields[canonical];
    if (use === 'write' && f.readOnly)
      out.push(where(`${meta.name}.${name} is read-only: Salesforce refuses writes to it`));
    if (use === 'match' && f.filterable === false)
      out.push(where(`${meta.name}.${name} cannot be used as a record matcher: Salesforce cannot filter on it`));
    if (use === 'externalId' && !f.externalId && name !== 'Id')
      out.push(where(`${meta.name}.${name} is not an External ID field, so it cannot key a native upsert`));
  });
}
