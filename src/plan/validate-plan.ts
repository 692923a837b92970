// Checks a Plan against schemas/plan.schema.json (compiled once). The tests run it on every plan
// they produce; a caller that stores or ships plans can too.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

const schemaPath = fileURLToPath(new URL('../../schemas/plan.schema.json', import.meta.url));
let validator: ValidateFunction | undefined;

/** What is wrong with `plan`, naming the place, or undefined. */
export function planProblem(plan: unknown): string | undefined {
  validator ??= new Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(
    JSON.parse(readFileSync(schemaPath, 'utf8')) as object,
  );
  if (validator(plan)) return undefined;
  const e = validator.errors![0];
  return `${e.instancePath || 'the plan'}: ${e.message ?? 'is invalid'}`;
}
