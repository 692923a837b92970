import { expect } from 'chai';
import { Ajv } from 'ajv';
import type { Express } from 'express';
import request from 'supertest';
import { startHarness, identify, type Harness } from '../e2e/harness.js';

interface Layer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** What express really serves: [method, path] for every route, mounted routers included. */
function registeredRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      // OpenAPI writes path parameters {dest} where express writes :dest.
      if (layer.route)
        for (const m of Object.keys(layer.route.methods))
          out.push(`${m} ${prefix}${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
      else if (layer.handle.stack)
        walk(layer.handle.stack, prefix + (layer.rawPath === '/' ? '' : (layer.rawPath ?? '')));
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out.sort();
}

describe('GET /openapi.json', () => {
  let h: Harness;
  let doc: {
    openapi: string;
    paths: Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
    >;
    components: { schemas: Record<string, { $id?: string }> };
  };
  let ajv: Ajv;

  before(async () => {
    h = await startHarness({ env: { SALESFORCE_API_BUDGET_CALLS: '3' } });
    const res = await request(h.app).get('/openapi.json');
    expect(res.status).to.equal(200);
    doc = res.body;
    ajv = new Ajv({ strict: false, allErrors: true });
    for (const schema of Object.values(doc.components.schemas)) ajv.addSchema(schema);
  });
  after(async () => h?.close());

  /** The response schema with component refs rewritten to the schemas' own $id (how ajv knows them). */
  const responseSchema = (method: string, path: string, status: number): unknown => {
    const op = doc.paths[path]?.[method];
    expect(op, `${method} ${path} is described`).to.not.equal(undefined);
    const schema = (op.responses[String(status)] ?? op.responses.default)?.content?.['application/json']?.schema;
    expect(schema, `${method} ${path} ${status} has a JSON schema`).to.not.equal(undefined);
    return JSON.parse(JSON.stringify(schema), (key, value) => {
      if (key !== '$ref' || typeof value !== 'string') return value;
      const m = /^#\/components\/schemas\/([^/]+)(\/.*)?$/.exec(value);
      return m ? `${doc.components.schemas[m[1]].$id}${m[2] ? `#${m[2]}` : ''}` : value;
    });
  };
  const check = (method: string, path: string, res: request.Response): void => {
    const validate = ajv.compile(responseSchema(method, path, res.status) as object);
    expect(
      validate(res.body),
      `${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(res.body).slice(0, 500)}`,
    ).to.equal(true);
  };

  it('is OpenAPI 3.1 and describes exactly the routes the server registers', () => {
    expect(doc.openapi).to.equal('3.1.0');
    const described = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
      .sort();
    expect(described).to.deep.equal(registeredRoutes(h.app));
    expect(Object.keys(doc.components.schemas)).to.include.members(['operation', 'http-envelopes', 'mapping']);
  });

  it('real answers of /transform, /proxy (200, 400, 429) and /health validate against it', async () => {
    const transform = await request(h.app)
      .post('/transform')
      .send([
        {
          message: identify({ email: 'openapi@example.com', lastName: 'Api', company: 'Acme' }),
          metadata: { jobId: 1 },
          destination: h.destination,
        },
        {
          message: { type: 'identify', traits: { email: 'not-opted-in@example.com' } },
          metadata: { jobId: 2 },
          destination: h.destination,
        },
        { metadata: { jobId: 3 }, destination: h.destination },
      ]);
    expect(transform.body.map((r: { statusCode: number }) => r.statusCode)).to.include.members([200, 400]);
    check('post', '/transform', transform);

    const ok = transform.body
      .filter((r: { statusCode: number }) => r.statusCode === 200)
      .map((r: { metadata: unknown; output: unknown }) => ({ ...r, destination: h.destination }));
    const proxy = await request(h.app)
      .post('/proxy')
      .send([...ok, { metadata: { jobId: 9 }, destination: h.destination, output: [] }]);
    expect(proxy.body.map((r: { statusCode: number }) => r.statusCode)).to.deep.equal([200, 400]);
    check('post', '/proxy', proxy);

    // The budget (3 calls) runs out: throttled events carry retryAfterSeconds, the response Retry-After.
    let throttled: request.Response | undefined;
    for (let i = 0; i < 5 && !throttled; i++) {
      const items = await h.transform([identify({ email: `budget${i}@example.com`, lastName: 'B', company: 'Acme' })]);
      const res = await request(h.app).post('/proxy').send(items);
      if (res.body[0].statusCode === 429) throttled = res;
    }
    expect(throttled, 'the budget ran out').to.not.equal(undefined);
    expect(throttled!.headers['retry-after']).to.match(/^\d+$/);
    check('post', '/proxy', throttled!);

    check('get', '/health', await request(h.app).get('/health'));
    // rudder-server's routes, described by their own schemas (schemas/rudder/).
    const rudder = await request(h.app)
      .post('/routerTransform')
      .send({
        destType: 'SALESFORCE',
        input: [
          {
            message: identify({ email: 'rudder.openapi@example.com', lastName: 'R', company: 'Acme' }),
            metadata: { jobId: 77, userId: 'u' },
            destination: { ID: 'd1', Config: h.destination.Config },
          },
        ],
      });
    expect(rudder.status, JSON.stringify(rudder.body)).to.equal(200);
    check('post', '/routerTransform', rudder);
    const notServed = await request(h.app).post('/v1/destinations/webhook/proxy').send({});
    expect(notServed.status).to.equal(404);
    check('post', '/v1/destinations/{dest}/proxy', notServed);
    const refused = await request(h.app)
      .post('/transform')
      .set('content-type', 'application/json')
      .send('{"not":"an array"}');
    expect(refused.status).to.equal(400);
    check('post', '/transform', refused);
  });
});
