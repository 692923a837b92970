// Events as people keep them in files: one message, one item {message, metadata, destination}, an
// array of either, or newline-delimited JSON. Bare messages become items carrying the --config
// destination, exactly as the router would send them.
import { readFileSync } from 'node:fs';
import type { Json, JsonObject, TransformItem } from '../mapping/event.js';

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

export class InputError extends Error {}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read ${what}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: ${what} is not valid JSON: ${(err as Error).message}`);
  }
}

/** destination.Config from a file holding either the Config object or a whole destination {Config}. */
export function readConfig(file: string | undefined): JsonObject | undefined {
  if (file === undefined) return undefined;
  const v = readJson(file, 'the config');
  if (!isObject(v)) throw new InputError(`${file}: the config must be a JSON object (destination.Config)`);
  return isObject(v.Config) ? v.Config : v;
}

/**
 * An item as /transform takes it. A value with `message` is already an item (it keeps its own
 * destination; `config` fills in only when it has none); anything else is the message itself.
 */
export function toItem(value: Json, config: JsonObject | undefined, metadata: Json): TransformItem {
  if (isObject(value) && 'message' in value) {
    const item = { ...value } as unknown as TransformItem;
    if (item.destination === undefined && config) item.destination = { Config: config };
    return item;
  }
  return { message: value as JsonObject, metadata, destination: { Config: config ?? {} } };
}

/** The items of an event file; an array's bare messages get `{index}` as metadata. */
export function readEventFile(file: string, config: JsonObject | undefined): TransformItem[] {
  const v = readJson(file, 'the event file') as Json;
  const list = Array.isArray(v) ? v : isObject(v) && Array.isArray(v.items) ? v.items : [v];
  return list.map((e, index) => toItem(e, config, { index }));
}
