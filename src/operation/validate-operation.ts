// Operations arriving at POST /proxy come from outside: checked against schemas/operation.schema.json
// (compiled once; first error only, as for any request body) before anything is sent to Salesforce.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

const schemaPath = fileURLToPath(new URL('../../schemas/operation.schema.json', import.meta.url));
let validator: ValidateFunction | undefined;

/** What is wrong with `op`, naming the place (`match.fields.Email must be ...`), or undefined. */
export function operationProblem(op: unknown): string | undefined {
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(
    JSON.parse(readFileSync(schemaPath, 'utf8')) as object,
  );
  if (validator(op)) return undefined;
  const e = validator.errors![0];
  const at = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const params = e.params as { missingProperty?: string; allowedValues?: unknown[] };
  const propertyName = (e as { propertyName?: string }).propertyName;
  if (e.schemaPath.includes('/anyOf/')) return 'update, delete and upsert need "recordId", "match" or "externalId"';
  if (propertyName !== undefined) return `${at}: "${propertyName}" is not a Salesforce API name`;
  if (e.keyword === 'required') return `${at ? at + ': ' : ''}missing "${params.missingProperty}"`;
  if (e.keyword === 'enum') return `${at}: must be one of ${params.allowedValues!.join(', ')}`;
  return `${at || 'the operation'}: ${e.message ?? 'is invalid'}`;
}
