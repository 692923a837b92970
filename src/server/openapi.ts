// GET /openapi.json: the server's routes as OpenAPI 3.1, their bodies described by the same JSON
// Schemas the product validates with (schemas/*.schema.json, embedded whole under components.schemas
// by file name; OpenAPI 3.1 takes JSON Schema as it is). A test checks every registered route is
// here and that real answers validate against it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

type SchemaRef = { $ref: string };
type Json = Record<string, unknown>;

/** A schema file (`rudder/proxy-v1-request` → component `rudder-proxy-v1-request`), or a JSON pointer into it. */
function schemaRef(file: string, pointer = ''): SchemaRef {
  return { $ref: `#/components/schemas/${file.replace(/\//g, '-')}${pointer}` };
}

const envelope = (name: string): SchemaRef => schemaRef('http-envelopes', `/definitions/${name}`);

const json = (schema: unknown, description: string): Json => ({
  description,
  content: { 'application/json': { schema } },
});
const refused = json(
  envelope('error'),
  'The request as a whole was refused (not JSON, too large, too deep, not an array); the error says why.',
);

/** Every route's description. A route added to the app without an entry here fails test/server/openapi.test.ts. */
const PATHS: Record<string, Record<string, Json>> = {
  '/transform': {
    post: {
      summary: 'Map events to Salesforce record operations (pure: no network, no credentials)',
      parameters: [
        {
          name: 'answer',
          in: 'query',
          required: false,
          schema: { enum: ['compact', 'full'] },
          description: 'full: operations with their http descriptors (docs/contract-extensions.md)',
        },
      ],
      requestBody: {
        required: true,
        ...json(envelope('transformRequest'), 'Events with their metadata and destination'),
      },
      responses: {
        200: json({ type: 'array', items: envelope('transformResult') }, 'One result per event, in order'),
        400: refused,
        413: refused,
      },
    },
  },
  '/proxy': {
    post: {
      summary: 'Deliver operations to Salesforce; one outcome per event',
      requestBody: {
        required: true,
        ...json(envelope('proxyRequest'), '/transform results with statusCode 200, each with its destination'),
      },
      responses: {
        200: {
          ...json({ type: 'array', items: envelope('proxyResult') }, 'One outcome per event, in order'),
          headers: {
            'Retry-After': {
              description:
                'Seconds until the soonest throttled event may be retried (when any was throttled by the API budget)',
              schema: { type: 'integer' },
            },
          },
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
        200: json(envelope('health'), 'Serving'),
        503: json(envelope('health'), 'Draining on shutdown: send no new work'),
      },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics (sfbridge_*)',
      responses: {
        200: {
          description: 'Prometheus text exposition format',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
      },
    },
  },
  '/openapi.json': {
    get: {
      summary: 'This document',
      responses: { 200: json({ type: 'object' }, 'OpenAPI 3.1') },
    },
  },
  // rudder-server's transformer protocol (src/server/routes/rudder.ts; schemas/rudder/).
  '/features': {
    get: {
      summary: "What this transformer supports (rudder-server's feature list)",
      responses: { 200: json({ type: 'object' }, 'Features') },
    },
  },
  '/routerTransform': {
    post: {
      summary:
        "rudder-server's router transform: jobs in, batched requests (proxy mode) or delivered outcomes (direct mode) out",
      requestBody: {
        required: true,
        ...json(schemaRef('rudder/router-transform-request'), 'Jobs of one destination type (plain or compacted)'),
      },
      responses: {
        200: json(schemaRef('rudder/router-transform-response'), 'Every input job answered'),
        400: refused,
        404: refused,
        413: refused,
      },
    },
  },
  '/batch': {
    post: {
      summary: 'As /routerTransform, answering the bare array',
      requestBody: {
        required: true,
        ...json(schemaRef('rudder/router-transform-request'), 'Jobs of one destination type'),
      },
      responses: {
        200: json(
          { type: 'array', items: schemaRef('rudder/router-transform-response', '/properties/output/items') },
          'Every input job answered',
        ),
        400: refused,
        404: refused,
        413: refused,
      },
    },
  },
  '/v0/destinations/{dest}': {
    post: {
      summary: "rudder-server's processor transform for SALESFORCE, SALESFORCE_OAUTH, SALESFORCE_OAUTH_SANDBOX",
      parameters: [{ name: 'dest', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: { required: true, ...json({ type: 'array' }, 'Events with metadata and destination') },
      responses: {
        200: json({ type: 'array', items: { type: 'object' } }, 'One answer per event'),
        400: refused,
        404: refused,
        413: refused,
      },
    },
  },
  '/v1/destinations/{dest}/proxy': {
    post: {
      summary: "rudder-server's delivery proxy (v1): one batched request, one outcome per job",
      parameters: [{ name: 'dest', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: {
        required: true,
        ...json(schemaRef('rudder/proxy-v1-request'), 'A batched request with the metadata of every job it carries'),
      },
      responses: {
        default: json(schemaRef('rudder/proxy-v1-response'), 'Per-job outcomes (the HTTP status is the batch status)'),
        404: refused,
      },
    },
  },
  '/v0/destinations/{dest}/proxy': {
    post: {
      summary: "rudder-server's delivery proxy (v0): one job",
      parameters: [{ name: 'dest', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: { required: true, ...json({ type: 'object' }, 'One request with its job metadata') },
      responses: {
        default: json({ type: 'object', required: ['output'] }, "The job's outcome (the HTTP status is the job's)"),
        404: refused,
      },
    },
  },
  '/playground/': {
    get: {
      summary: 'The mapping playground page',
      responses: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } },
    },
  },
  '/playground/presets': {
    get: {
      summary: "The playground's example mappings and events",
      responses: { 200: json({ type: 'array', items: { type: 'object' } }, 'Presets') },
    },
  },
  '/playground/run': {
    post: {
      summary: 'Map one event with a mapping given in the request (pure, like /transform)',
      requestBody: {
        required: true,
        ...json(
          { type: 'object', required: ['mapping', 'event'] },
          'A mapping file text, an event and destination settings',
        ),
      },
      responses: {
        200: json({ type: 'object' }, 'The operations, or the problems at their mapping lines'),
        400: refused,
        413: refused,
      },
    },
  },
};

const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

/** The schemas/ folder's JSON Schemas (and its subfolders'), keyed by path without `.schema.json`, `/` as `-`. */
function loadSchemas(dir: string, prefix = '', out: Record<string, Json> = {}): Record<string, Json> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) loadSchemas(join(dir, entry.name), `${prefix}${entry.name}-`, out);
    else if (entry.name.endsWith('.schema.json'))
      out[prefix + entry.name.replace(/\.schema\.json$/, '')] = JSON.parse(
        readFileSync(join(dir, entry.name), 'utf8'),
      ) as Json;
  }
  return out;
}

export function openApiDocument(version: string, schemasDir = SCHEMAS_DIR): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'sf-transformer',
      version,
      description:
        'Analytics events → Salesforce: POST /transform maps (pure), POST /proxy delivers. See CONTRACT.md and the README.',
    },
    paths: PATHS,
    components: { schemas: loadSchemas(schemasDir) },
  };
}
