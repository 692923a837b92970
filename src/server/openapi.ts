// GET /openapi.json: the server's routes as OpenAPI 3.1, their bodies described by the same JSON
// Schemas the product validates with (schemas/*.schema.json, embedded whole under components.schemas
// by file name; OpenAPI 3.1 takes JSON Schema as it is). A test checks every registered route is
// here and that real answers validate against it.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type SchemaRef = { $ref: string };
type Json = Record<string, unknown>;

/** `#/components/schemas/<file>/definitions/<name>`, or the whole file's schema when no name. */
export function schemaRef(file: string, definition?: string): SchemaRef {
  return { $ref: `#/components/schemas/${file}${definition ? `/definitions/${definition}` : ''}` };
}

const json = (schema: unknown, description: string): Json => ({ description, content: { 'application/json': { schema } } });
const refused = json(schemaRef('http-envelopes', 'error'), 'The request as a whole was refused (not JSON, too large, too deep, not an array); the error says why.');

/** Every route's description. A route added to the app without an entry here fails test/server/openapi.test.ts. */
export const PATHS: Record<string, Record<string, Json>> = {
  '/transform': {
    post: {
      summary: 'Map events to Salesforce record operations (pure: no network, no credentials)',
      requestBody: { required: true, ...json(schemaRef('http-envelopes', 'transformRequest'), 'Events with their metadata and destination') },
      responses: {
        200: json({ type: 'array', items: schemaRef('http-envelopes', 'transformResult') }, 'One result per event, in order'),
        400: refused,
        413: refused,
      },
    },
  },
  '/proxy': {
    post: {
      summary: 'Deliver operations to Salesforce; one outcome per event',
      requestBody: { required: true, ...json(schemaRef('http-envelopes', 'proxyRequest'), '/transform results with statusCode 200, each with its destination') },
      responses: {
        200: {
          ...json({ type: 'array', items: schemaRef('http-envelopes', 'proxyResult') }, 'One outcome per event, in order'),
          headers: { 'Retry-After': { description: 'Seconds until the soonest throttled event may be retried (when any was throttled by the API budget)', schema: { type: 'integer' } } },
        },
        400: refused,
        413: refused,
      },
    },
  },
  '/health': {
    get: {
      summary: 'Readiness and liveness: mappings loaded (problems as file:line:col), workers, shared state',
      responses: {
        200: json(schemaRef('http-envelopes', 'health'), 'Serving'),
        503: json(schemaRef('http-envelopes', 'health'), 'Draining on shutdown: send no new work'),
      },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics (sfbridge_*)',
      responses: { 200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  },
  '/openapi.json': {
    get: {
      summary: 'This document',
      responses: { 200: json({ type: 'object' }, 'OpenAPI 3.1') },
    },
  },
  '/playground/': {
    get: { summary: 'The mapping playground page', responses: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } } },
  },
  '/playground/presets': {
    get: { summary: "The playground's example mappings and events", responses: { 200: json({ type: 'array', items: { type: 'object' } }, 'Presets') } },
  },
  '/playground/run': {
    post: {
      summary: 'Map one event with a mapping given in the request (pure, like /transform)',
      requestBody: { required: true, ...json({ type: 'object', required: ['mapping', 'event'] }, 'A mapping file text, an event and destination settings') },
      responses: { 200: json({ type: 'object' }, 'The operations, or the problems at their mapping lines'), 400: refused, 413: refused },
    },
  },
};

const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

/** The schemas/ folder's JSON Schemas, keyed by file name without `.schema.json`. */
function loadSchemas(dir: string): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort()) {
    out[file.replace(/\.schema\.json$/, '')] = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as Json;
  }
  return out;
}

export function openApiDocument(version: string, schemasDir = SCHEMAS_DIR): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'sf-transformer',
      version,
      description: 'Analytics events → Salesforce: POST /transform maps (pure), POST /proxy delivers. See CONTRACT.md and the README.',
    },
    paths: PATHS,
    components: { schemas: loadSchemas(schemasDir) },
  };
}
