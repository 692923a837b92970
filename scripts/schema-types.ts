// TypeScript types derived from the JSON Schemas, so a type and its schema cannot drift apart:
// `npm run schema-types` writes src/generated/*.ts from schemas/*.json, and
// test/schemas/schema-types.test.ts fails when a committed file is not what its schema gives.
// The product code names these types through aliases (src/operation/operation.ts, src/plan/plan.ts,
// src/mapping/rule.ts); nobody edits the generated files.
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { readFileSync, writeFileSync } from 'node:fs';

const root = fileURLToPath(new URL('../', import.meta.url));

/** schema file → generated file (both relative to the repository). */
export const SCHEMA_TYPES: ReadonlyArray<{ schema: string; out: string }> = [
  { schema: 'schemas/operation.schema.json', out: 'src/generated/operation.ts' },
  { schema: 'schemas/plan.schema.json', out: 'src/generated/plan.ts' },
  { schema: 'schemas/mapping.schema.json', out: 'src/generated/mapping-rule.ts' },
];

/** The text each generated file must have. */
export async function generateSchemaTypes(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { schema, out: file } of SCHEMA_TYPES) {
    const json = JSON.parse(readFileSync(root + schema, 'utf8')) as JSONSchema;
    const text = await compile(json, json.title ?? schema, {
      bannerComment: `// Generated from ${schema} by \`npm run schema-types\` (scripts/schema-types.ts). Do not edit.`,
      // Closed types: a key the schema does not name is a type error, even where the schema lets
      // producers extend the JSON.
      additionalProperties: false,
      // Prettier with its defaults, never the repository's settings: the output must not depend on them.
      format: true,
      style: { printWidth: 120, singleQuote: true },
      unreachableDefinitions: true,
      // Arrays the schema wants non-empty stay plain arrays: the schema checks the count.
      ignoreMinAndMaxItems: true,
      strictIndexSignatures: false,
      cwd: root + 'schemas',
    });
    out.set(file, text);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, text] of await generateSchemaTypes()) {
    writeFileSync(root + file, text);
    console.log(`wrote ${file}`);
  }
}
