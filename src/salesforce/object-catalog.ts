// Loads the object metadata files (mappings/salesforce/objects/*.yaml|json) into an ObjectCatalog
// and answers questions about it. Loading is the only I/O in the salesforce layer; it happens once
// at start-up (or on reload), so it is synchronous and fails loudly with file and line.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { notRegularReason, readRegularFile } from '../mapping/regular-file.js';
import type { FieldMetadata, ObjectCatalog, ObjectMetadata } from './object-metadata.js';

// src/salesforce/ and dist/salesforce/ sit at the same depth, so one relative URL serves both.
const packageRoot = new URL('../../', import.meta.url);

/** The shipped object metadata folder. */
export const DEFAULT_OBJECTS_DIR = fileURLToPath(new URL('mappings/salesforce/objects/', packageRoot));

const SCHEMA_PATH = fileURLToPath(new URL('schemas/object.schema.json', packageRoot));

/** Salesforce's long text areas cannot be filtered on; short ones (≤ 255, e.g. Street) can. */
const LONG_TEXT_THRESHOLD = 255;

let validator: ValidateFunction | undefined;

function objectValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object;
    // allErrors is fine here: the files are trusted configuration, and every problem helps the editor.
    validator = new Ajv({ allErrors: true }).compile(schema);
  }
  return validator;
}

/**
 * Reads every *.yaml, *.yml and *.json file of `dir` as one ObjectMetadata, validated against
 * schemas/object.schema.json. Throws an Error naming the file (and line when known) on the first
 * bad file; a catalog is all-or-nothing. Paths that are not regular files go to `skip` when given.
 */
export function loadObjectCatalog(
  dir: string = DEFAULT_OBJECTS_DIR,
  skip?: (path: string, reason: string) => void,
): ObjectCatalog {
  const files = readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/i.test(f))
    .sort();
  const catalog = new Map<string, ObjectMetadata>();
  const origin = new Map<string, string>();
  for (const file of files) {
    const path = join(dir, file);
    const odd = notRegularReason(path);
    if (odd && skip) {
      // Not a description at all (a FIFO, a dangling link): reported, and the real files still load.
      skip(path, odd);
      continue;
    }
    if (odd) throw new Error(`${path}: ${odd}`);
    let text: string;
    try {
      text = readRegularFile(path);
    } catch (err) {
      throw new Error(`${path}: ${(err as Error).message}`, { cause: err });
    }
    const meta = parseObjectFile(path, text);
    const previous = origin.get(meta.name.toLowerCase());
    if (previous) {
      throw new Error(`${path}: object ${meta.name} is already described by ${previous}`);
    }
    origin.set(meta.name.toLowerCase(), path);
    catalog.set(meta.name, meta);
  }
  return catalog;
}

/** Parses and validates one object file's text; `path` is only used in error messages. */
export function parseObjectFile(path: string, text: string): ObjectMetadata {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const at = lineCounter.linePos(e.pos[0]);
    throw new Error(`${path}:${at.line}:${at.col}: not valid YAML/JSON: ${e.message.split('\n')[0]}`);
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    // yaml refuses alias bombs (billion laughs) here, with a ReferenceError.
    throw new Error(`${path}:1:1: not valid YAML/JSON: ${(err as Error).message}`, { cause: err });
  }
  const validate = objectValidator();
  if (!validate(data)) {
    const err = mostUsefulError(validate.errors ?? []);
    const node = doc.getIn(pointerToPath(err.instancePath), true) as { range?: [number, number, number] } | undefined;
    const where = node?.range
      ? `:${lineCounter.linePos(node.range[0]).line}:${lineCounter.linePos(node.range[0]).col}`
      : '';
    throw new Error(`${path}${where}: ${describeAjvError(err)}`);
  }
  return normalise(path, data as ObjectMetadata);
}

function normalise(path: string, raw: ObjectMetadata): ObjectMetadata {
  // No prototype: a field named by an event (`toString`, `constructor`) is found only if described.
  const fields: Record<string, FieldMetadata> = Object.create(null) as Record<string, FieldMetadata>;
  const seen = new Map<string, string>();
  for (const [key, field] of Object.entries(raw.fields)) {
    if (field.name !== undefined && field.name !== key) {
      throw new Error(`${path}: field ${key} says its name is ${field.name}; the key must be the field's API name`);
    }
    // Salesforce names are case-insensitive, so two keys differing only in case are one field twice.
    const clash = seen.get(key.toLowerCase());
    if (clash) throw new Error(`${path}: fields ${clash} and ${key} differ only in letter case`);
    seen.set(key.toLowerCase(), key);
    const filterable = field.filterable ?? !(field.type === 'textarea' && (field.length ?? 0) > LONG_TEXT_THRESHOLD);
    fields[key] = { ...field, name: key, filterable };
  }
  return { ...raw, fields };
}

/**
 * With allErrors, ajv reports some problems twice: `if/then` adds a vague "must match then", and a
 * bad property name comes as a bare `pattern` error before the `propertyNames` one that names it.
 */
function mostUsefulError(errors: ErrorObject[]): ErrorObject {
  return (
    errors.find((e) => e.keyword === 'propertyNames') ??
    errors.find((e) => e.keyword !== 'if' && !e.propertyName) ??
    errors[0]
  );
}

function describeAjvError(e: ErrorObject): string {
  const at = e.instancePath === '' ? 'the file' : e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  switch (e.keyword) {
    case 'required':
      return `${at}: missing "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'additionalProperties':
      return `${at}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case 'enum':
      return `${at}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'const':
      return `${at}: must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    case 'propertyNames':
      return `${at}: field name "${(e.params as { propertyName: string }).propertyName}" is not a valid API name`;
    default:
      return `${at}: ${e.message ?? 'is invalid'}`;
  }
}

function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The object's metadata by exact API name, or undefined. */
export function objectOf(catalog: ObjectCatalog, object: string): ObjectMetadata | undefined {
  return catalog.get(object);
}

/** The field's metadata by exact object and field API names, or undefined when either is unknown. */
export function fieldOf(catalog: ObjectCatalog, object: string, field: string): FieldMetadata | undefined {
  const meta = catalog.get(object);
  return meta && Object.hasOwn(meta.fields, field) ? meta.fields[field] : undefined;
}

const lowerIndexes = new WeakMap<ObjectMetadata, Map<string, string>>();

/**
 * The canonical casing of a field name (`email` → `Email`) when the object has a field matching it
 * case-insensitively, as Salesforce would; undefined otherwise. Callers keep the canonical form so
 * that lookups, CSV headers and request bodies all agree on one spelling.
 */
export function resolveFieldName(meta: ObjectMetadata, name: string): string | undefined {
  if (Object.hasOwn(meta.fields, name)) return name;
  let index = lowerIndexes.get(meta);
  if (!index) {
    index = new Map(Object.keys(meta.fields).map((k) => [k.toLowerCase(), k]));
    lowerIndexes.set(meta, index);
  }
  return index.get(name.toLowerCase());
}

/** The canonical casing of an object name known to the catalog (`lead` → `Lead`), or undefined. */
export function resolveObjectName(catalog: ObjectCatalog, name: string): string | undefined {
  if (catalog.has(name)) return name;
  const lower = name.toLowerCase();
  for (const key of catalog.keys()) if (key.toLowerCase() === lower) return key;
  return undefined;
}
