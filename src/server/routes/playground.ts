// The /playground page: paste a mapping rule and an event, see what /transform would answer and why.
// POST /playground/run compiles the posted YAML exactly as a file under mappings/ is compiled
// (same loader, same served object catalog) and maps the event with the same mapEvent.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import type { Json, JsonObject, TransformItem, TransformResult } from '../../mapping/event.js';
import { inlinePolicy, INLINE_OFF_MESSAGE } from '../../mapping/inline-policy.js';
import { loadRuleText } from '../../mapping/load-rule.js';
import type { Explanation } from '../../mapping/map-event.js';
import { buildMappingSet, type MappingSet } from '../../mapping/mapping-set.js';
import type { MappingStore } from '../../mapping/mapping-store.js';
import type { Problem } from '../../mapping/problem.js';
import { transformItems } from '../../mapping/transform.js';
import { bodyError, jsonBody, tooDeep } from '../json-body.js';

/** A mapping rule is a page of YAML; an event a few KB. Anything far beyond is not a playground. */
const PLAYGROUND_BODY_LIMIT = 256 * 1024;
export const MAX_MAPPING_CHARS = 64 * 1024;
/** Problems name this file, so the page can point at the mapping's own lines. */
const PLAYGROUND_FILE = 'mapping.yaml';

export interface PlaygroundAnswer {
  problems: Problem[];
  explain: Explanation[];
  results: TransformResult[];
}

class PlaygroundInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * One posted rule against one event. The rule runs even when it says `enabled: false` (the page is
 * for trying it); other served rules are there only to be referenced by `fieldsFrom`.
 */
async function runPlayground(body: unknown, served: MappingSet): Promise<PlaygroundAnswer> {
  if (!isObject(body))
    throw new PlaygroundInputError(
      'NOT_AN_OBJECT',
      'body must be {"mapping": "<YAML>", "event": {...}, "config"?: {...}}',
    );
  const { mapping, event, config } = body;
  if (inlinePolicy.mode === 'off') throw new PlaygroundInputError('INLINE_MAPPINGS_OFF', INLINE_OFF_MESSAGE);
  if (typeof mapping !== 'string')
    throw new PlaygroundInputError('NO_MAPPING', '"mapping" must be the YAML text of one rule');
  if (mapping.length > MAX_MAPPING_CHARS)
    throw new PlaygroundInputError('MAPPING_TOO_LARGE', `"mapping" is longer than ${MAX_MAPPING_CHARS} characters`);
  if (!isObject(event))
    throw new PlaygroundInputError(
      'NO_EVENT',
      '"event" must be a message ({"type": ...}) or an item ({"message": ...})',
    );
  if (config !== undefined && config !== null && !isObject(config))
    throw new PlaygroundInputError('BAD_CONFIG', '"config" must be an object (destination.Config)');
  const deep = tooDeep(event);
  if (deep) throw new PlaygroundInputError('TOO_DEEP', `"event" nests too deep at ${deep}`);

  const loaded = loadRuleText(PLAYGROUND_FILE, mapping, served.catalog, { trust: 'clients' });
  if (!loaded.rule) return { problems: loaded.problems, explain: [], results: [] };
  const library = [...served.byName.values()].map((r) => ('rule' in r ? r.rule : r));
  const built = buildMappingSet([loaded.rule], served.catalog, library);
  if (built.problems.length > 0) return { problems: built.problems, explain: [], results: [] };
  const set: MappingSet = { ...built.set, selected: true };

  const item: TransformItem =
    'message' in event ? ({ ...event } as unknown as TransformItem) : { message: event, metadata: { jobId: 1 } };
  if (isObject(config)) item.destination = { ...(isObject(item.destination) ? item.destination : {}), Config: config };
  const explain: Explanation[] = [];
  // `select` keeps destination.Config.mappings from swapping the posted rule for served ones.
  const results = await transformItems([item], set, { explain, select: () => set });
  return { problems: [], explain, results };
}

export interface Preset {
  id: string;
  title: string;
  rule: string;
  event: Json;
  config?: JsonObject;
}

export function playgroundRoutes(store: MappingStore): Router {
  const assets = assetsDir();
  const presets = JSON.parse(readFileSync(resolve(assets, 'presets.json'), 'utf8')) as Preset[];
  const router = express.Router();

  router.use((_req, res, next) => {
    // The page renders everything as text; a strict policy makes that a guarantee, not a habit.
    res.set(
      'Content-Security-Policy',
      "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    );
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });
  router.get('/', (_req, res) => res.sendFile(resolve(assets, 'index.html')));

  // Presets carry the served file's current text, so an edit on disk shows up in the page.
  router.get('/presets', (_req, res) => {
    const set = store.current;
    const out = [];
    for (const p of presets) {
      const found = set.byName.get(p.rule);
      const file = found ? ('rule' in found ? found.rule.file : found.file) : undefined;
      if (!file) continue;
      try {
        out.push({
          id: p.id,
          title: p.title,
          mapping: readFileSync(resolve(file), 'utf8'),
          event: p.event,
          config: p.config,
        });
      } catch {
        // The file moved since it was loaded: leave the preset out rather than show stale text.
      }
    }
    res.json(out);
  });

  router.post('/run', jsonBody(PLAYGROUND_BODY_LIMIT), async (req, res) => {
    try {
      res.json(await runPlayground(req.body, store.current));
    } catch (err) {
      if (!(err instanceof PlaygroundInputError)) throw err;
      res.status(400).json(bodyError(err.code, err.message));
    }
  });

  router.use(express.static(assets, { index: false, fallthrough: true }));
  return router;
}

/** The page's files sit beside the sources; a built server (dist/) reads them from src/. */
function assetsDir(): string {
  const candidates = [
    fileURLToPath(new URL('../playground/', import.meta.url)),
    fileURLToPath(new URL('../../../src/server/playground/', import.meta.url)),
  ];
  const found = candidates.find((d) => existsSync(resolve(d, 'index.html')));
  if (!found) throw new Error(`playground page files not found in ${candidates.join(' or ')}`);
  return found;
}
