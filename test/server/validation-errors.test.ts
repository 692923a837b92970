// Issue 10 item 18: "Every validation failure is a typed error with an errorCode and status 400;
// only real infrastructure faults are 500." Hostile and invalid inputs, route by route, against the
// real app and an emulated org: each gets its status and its code, never a stray 500 the router
// would retry forever. (/transform and /proxy answer per item with errorCode; the rudder-server
// routes carry the code at the start of the item's error, or as the refused body's error.code.)
import { expect } from 'chai';
import request from 'supertest';
import { identify, passwordConfig, startApps, type Apps } from '../rudder/apps.js';

type Expect = { http: number; code: string; item?: number };
interface Case {
  name: string;
  path: string;
  body: unknown;
  headers?: Record<string, string>;
  expect: Expect;
}

const msg = {
  type: 'identify',
  traits: { email: 'a@example.com', lastName: 'L', company: 'C' },
  integrations: { Salesforce: true },
};
const op = { mapping: 'm', object: 'Lead', operation: 'create', fields: { LastName: 'x', Company: 'y' } };
const upd = (extra: Record<string, unknown>) => ({
  mapping: 'm',
  object: 'Lead',
  operation: 'update',
  fields: { Title: 't' },
  ...extra,
});
const job = (
  message: unknown,
  config: Record<string, unknown> = passwordConfig(),
  metadata: Record<string, unknown> = { jobId: 1 },
) => ({
  message,
  metadata,
  destination: { ID: 'd1', Config: config, DestinationDefinition: { Name: 'SALESFORCE' } },
});

const cases = (creds: () => Record<string, unknown>): Case[] => [
  // POST /transform: the body, then each item on its own.
  { name: 'not an array', path: '/transform', body: { a: 1 }, expect: { http: 400, code: 'NOT_AN_ARRAY' } },
  { name: 'an item that is null', path: '/transform', body: [null], expect: { http: 400, code: 'ITEM_NOT_AN_OBJECT' } },
  {
    name: 'an unknown answer shape',
    path: '/transform?answer=pretty',
    body: [{ message: msg }],
    expect: { http: 400, code: 'INVALID_ANSWER_SHAPE' },
  },
  {
    name: 'message is a list',
    path: '/transform',
    body: [{ message: [] }],
    expect: { http: 200, item: 400, code: 'INVALID_EVENT' },
  },
  {
    name: 'message.type is an object',
    path: '/transform',
    body: [{ message: { type: {} } }],
    expect: { http: 200, item: 400, code: 'INVALID_EVENT' },
  },
  {
    name: 'traits is a list',
    path: '/transform',
    body: [{ message: { type: 'identify', traits: [] } }],
    expect: { http: 200, item: 400, code: 'INVALID_EVENT' },
  },
  {
    name: 'destination is text',
    path: '/transform',
    body: [{ message: msg, destination: 'x' }],
    expect: { http: 200, item: 400, code: 'INVALID_SETTINGS' },
  },
  {
    name: 'Config is a list',
    path: '/transform',
    body: [{ message: msg, destination: { Config: [] } }],
    expect: { http: 200, item: 400, code: 'INVALID_SETTINGS' },
  },
  {
    name: 'apiVersion "9.0"',
    path: '/transform',
    body: [{ message: msg, destination: { Config: { apiVersion: '9.0' } } }],
    expect: { http: 200, item: 400, code: 'INVALID_SETTINGS' },
  },
  {
    name: 'apiVersion is an object',
    path: '/transform',
    body: [{ message: msg, destination: { Config: { apiVersion: {} } } }],
    expect: { http: 200, item: 400, code: 'INVALID_SETTINGS' },
  },
  {
    name: 'a boolean setting "yes"',
    path: '/transform',
    body: [{ message: msg, destination: { Config: { useContactId: 'yes' } } }],
    expect: { http: 200, item: 400, code: 'INVALID_SETTINGS' },
  },
  {
    name: 'mappings is an object',
    path: '/transform',
    body: [{ message: msg, destination: { Config: { mappings: {} } } }],
    expect: { http: 200, item: 400, code: 'INVALID_SETTINGS' },
  },
  {
    name: 'mappings [null]',
    path: '/transform',
    body: [{ message: msg, destination: { Config: { mappings: [null] } } }],
    expect: { http: 200, item: 400, code: 'INVALID_MAPPING' },
  },
  {
    name: 'an inline rule with a bad name',
    path: '/transform',
    body: [{ message: msg, destination: { Config: { mappings: [{ name: 1 }] } } }],
    expect: { http: 200, item: 400, code: 'INVALID_MAPPING' },
  },
  {
    name: 'context.externalId is text',
    path: '/transform',
    body: [{ message: { ...msg, context: { externalId: 'x' } } }],
    expect: { http: 200, item: 400, code: 'INVALID_EXTERNAL_ID' },
  },
  {
    name: 'a matcher value that is an object',
    path: '/transform',
    body: [{ message: { ...msg, traits: { email: { $ne: 1 } } } }],
    expect: { http: 200, item: 400, code: 'INVALID_FIELD_VALUE' },
  },

  // POST /proxy: operations from outside, checked before and while planning.
  { name: 'not an array', path: '/proxy', body: {}, expect: { http: 400, code: 'NOT_AN_ARRAY' } },
  {
    name: 'no output',
    path: '/proxy',
    body: [{ destination: { Config: creds() } }],
    expect: { http: 200, item: 400, code: 'INVALID_ITEM' },
  },
  {
    name: 'an operation that is null',
    path: '/proxy',
    body: [{ output: [null], destination: { Config: creds() } }],
    expect: { http: 200, item: 400, code: 'INVALID_OPERATION' },
  },
  {
    name: 'fields.__proto__',
    path: '/proxy',
    body: [
      {
        output: [JSON.parse('{"mapping":"m","object":"Lead","operation":"create","fields":{"__proto__":{"a":1}}}')],
        destination: { Config: creds() },
      },
    ],
    expect: { http: 200, item: 400, code: 'INVALID_OPERATION' },
  },
  {
    name: 'an object name with a quote',
    path: '/proxy',
    body: [{ output: [{ ...op, object: "Lead'--" }], destination: { Config: creds() } }],
    expect: { http: 200, item: 400, code: 'INVALID_OPERATION' },
  },
  {
    name: 'a record Id of the wrong shape',
    path: '/proxy',
    body: [{ output: [upd({ recordId: "x' OR 1=1" })], destination: { Config: creds() } }],
    expect: { http: 200, item: 400, code: 'INVALID_OPERATION' },
  },
  {
    name: 'apiVersion "9.0"',
    path: '/proxy',
    body: [{ output: [op], destination: { Config: { ...creds(), apiVersion: '9.0' } } }],
    expect: { http: 200, item: 400, code: 'INVALID_CONFIG' },
  },
  {
    name: 'apiVersion is a list',
    path: '/proxy',
    body: [{ output: [op], destination: { Config: { ...creds(), apiVersion: ['66.0'] } } }],
    expect: { http: 200, item: 400, code: 'INVALID_CONFIG' },
  },
  {
    name: 'no credentials',
    path: '/proxy',
    body: [{ output: [op] }],
    expect: { http: 200, item: 400, code: 'NO_CREDENTIALS' },
  },
  {
    name: 'a password that is an object',
    path: '/proxy',
    body: [{ output: [op], destination: { Config: { ...creds(), password: {} } } }],
    expect: { http: 200, item: 400, code: 'NO_CREDENTIALS' },
  },
  {
    name: 'an instance URL that is not a URL',
    path: '/proxy',
    body: [{ output: [op], metadata: { secret: { access_token: 'a', instance_url: 'not a url' } } }],
    expect: { http: 200, item: 400, code: 'HOST_NOT_ALLOWED' },
  },
  {
    name: 'a lookup value too long for one query',
    path: '/proxy',
    body: [
      {
        output: [upd({ match: { operator: 'OR', fields: { Email: 'x'.repeat(200_000) } } })],
        destination: { Config: creds() },
      },
    ],
    expect: { http: 200, item: 400, code: 'INVALID_OPERATION' },
  },
  {
    name: 'a match on a field the org does not have',
    path: '/proxy',
    body: [
      { output: [upd({ match: { operator: 'OR', fields: { Nope__c: 'x' } } })], destination: { Config: creds() } },
    ],
    expect: { http: 200, item: 400, code: 'INVALID_FIELD' },
  },

  // rudder-server routes.
  {
    name: 'routerTransform: not an envelope',
    path: '/routerTransform',
    body: 5,
    expect: { http: 400, code: 'INVALID_ENVELOPE' },
  },
  {
    name: 'routerTransform: no metadata',
    path: '/routerTransform',
    body: { input: [{ message: msg }] },
    expect: { http: 400, code: 'MISSING_METADATA' },
  },
  {
    name: 'routerTransform: jobId is text',
    path: '/routerTransform',
    body: { input: [{ message: msg, metadata: { jobId: '1' } }] },
    expect: { http: 400, code: 'MISSING_JOB_ID' },
  },
  {
    name: 'routerTransform: a job without a destination',
    path: '/routerTransform',
    body: { input: [{ message: msg, metadata: { jobId: 1 } }] },
    expect: { http: 200, item: 400, code: 'NO_DESTINATION' },
  },
  {
    name: 'routerTransform: apiVersion "9.0"',
    path: '/routerTransform',
    body: { input: [job(msg, { ...creds(), apiVersion: '9.0' })] },
    expect: { http: 200, item: 400, code: 'INVALID_SETTINGS' },
  },
  {
    name: 'routerTransform: message null',
    path: '/routerTransform',
    body: { input: [job(null)] },
    expect: { http: 200, item: 400, code: 'INVALID_EVENT' },
  },
  {
    name: 'routerTransform: no credentials',
    path: '/routerTransform',
    body: { input: [job(msg, {})] },
    expect: { http: 200, item: 400, code: 'NO_CREDENTIALS' },
  },
  {
    name: "routerTransform: Oauth-Secret header not JSON (the router's: retryable)",
    path: '/routerTransform',
    headers: { 'Oauth-Secret': '{' },
    body: { input: [job(msg, {})] },
    expect: { http: 200, item: 500, code: 'INVALID_SECRET' },
  },
  {
    name: 'routerTransform: another destType',
    path: '/routerTransform',
    body: { destType: 'hubspot', input: [] },
    expect: { http: 404, code: 'DESTINATION_NOT_SERVED' },
  },
  {
    name: 'batch: an item that is null',
    path: '/batch',
    body: { input: [null] },
    expect: { http: 400, code: 'ITEM_NOT_AN_OBJECT' },
  },
  {
    name: 'processor: apiVersion "x"',
    path: '/v0/destinations/salesforce',
    body: [job(msg, { ...creds(), apiVersion: 'x' })],
    expect: { http: 200, item: 400, code: 'INVALID_SETTINGS' },
  },
  {
    name: 'processor: a job without a destination',
    path: '/v0/destinations/salesforce',
    body: [{ message: msg, metadata: { jobId: 1 } }],
    expect: { http: 200, item: 400, code: 'NO_DESTINATION' },
  },
  {
    name: 'proxy v1: no metadata',
    path: '/v1/destinations/salesforce/proxy',
    body: {},
    expect: { http: 400, code: 'INVALID_PROXY_REQUEST' },
  },
  {
    name: 'proxy v1: jobId is text',
    path: '/v1/destinations/salesforce/proxy',
    body: { body: { JSON: {} }, metadata: [{ jobId: 'x' }] },
    expect: { http: 400, code: 'INVALID_PROXY_REQUEST' },
  },
  {
    name: 'proxy v1: apiVersion "9.0"',
    path: '/v1/destinations/salesforce/proxy',
    body: { body: { JSON: {} }, metadata: [{ jobId: 1 }], destinationConfig: { ...creds(), apiVersion: '9.0' } },
    expect: { http: 200, item: 400, code: 'INVALID_CONFIG' },
  },
  {
    name: 'proxy v1: a request with no method',
    path: '/v1/destinations/salesforce/proxy',
    body: { body: { JSON: {} }, metadata: [{ jobId: 1 }], destinationConfig: creds() },
    expect: { http: 200, item: 400, code: 'INVALID_REQUEST' },
  },
  {
    name: 'proxy v0: metadata is text',
    path: '/v0/destinations/salesforce/proxy',
    body: { metadata: 'x' },
    expect: { http: 400, code: 'INVALID_PROXY_REQUEST' },
  },
];

/** The HTTP status, and the code of the first item (or of the refused body). */
function codeOf(body: unknown): { item?: number; code?: string } {
  const b = body as Record<string, any>;
  if (b?.error?.code) return { code: b.error.code };
  const first = Array.isArray(b)
    ? b[0]
    : Array.isArray(b?.output)
      ? b.output[0]
      : (b?.output?.response?.[0] ?? b?.output);
  if (!first) return {};
  const item = first.statusCode ?? first.status;
  const code = first.errorCode ?? /^([A-Z][A-Z0-9_]+): /.exec(String(first.error ?? first.message ?? ''))?.[1];
  return { item, code };
}

describe('validation failures: typed 400s on every route, never a stray 500 (issue 10 item 18)', function () {
  let apps: Apps;
  before(async () => {
    apps = await startApps();
  });
  after(() => apps.close());

  for (const c of cases(passwordConfig)) {
    it(`${c.path.split('?')[0]} — ${c.name}: ${c.expect.http}${c.expect.item ? `, item ${c.expect.item}` : ''} ${c.expect.code}`, async () => {
      let r = request(apps.direct).post(c.path).set('content-type', 'application/json');
      for (const [k, v] of Object.entries(c.headers ?? {})) r = r.set(k, v);
      const res = await r.send(JSON.stringify(c.body));
      const got = codeOf(res.body);
      expect(
        { http: res.status, ...(c.expect.item ? { item: got.item } : {}), code: got.code },
        JSON.stringify(res.body).slice(0, 600),
      ).to.deep.equal(c.expect);
    });
  }

  it('identify is the sanity case: a valid event is delivered (200) by the same app', async () => {
    const res = await request(apps.direct)
      .post('/routerTransform')
      .send({ input: [job(identify('ok@example.com'))] });
    expect(res.status).to.equal(200);
    expect(res.body.output[0].statusCode).to.equal(200);
  });
});
