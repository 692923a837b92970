// POST /transform over HTTP: the contract's answers, and bad requests refused cleanly without
// disturbing the server.
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { MappingStore } from '../../src/mapping/mapping-store.js';

describe('server: POST /transform and GET /health', () => {
  const store = new MappingStore();
  store.load();
  const { app } = createApp({ store, logger: createLogger('silent') });

  const identify = (email: string, jobId: number) => ({
    message: { type: 'identify', traits: { email, lastName: 'L' }, integrations: { Salesforce: true } },
    metadata: { jobId },
    destination: { Config: {} },
  });

  it('answers one item per event, in order, echoing metadata', async () => {
    const res = await request(app)
      .post('/transform')
      .send([
        identify('a@example.com', 1),
        { message: { type: 'track', event: 'x' }, metadata: { jobId: 2 } },
        identify('b@example.com', 3),
      ]);
    expect(res.status).to.equal(200);
    expect(res.body.map((r: { metadata: { jobId: number } }) => r.metadata.jobId)).to.deep.equal([1, 2, 3]);
    expect(res.body.map((r: { statusCode: number }) => r.statusCode)).to.deep.equal([200, 298, 200]);
    expect(res.body[2].output[0].match.fields.Email).to.equal('b@example.com');
  });

  it('GET /health reports ok and the loaded rules', async () => {
    const res = await request(app).get('/health');
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal('ok');
    expect(res.body.mappings.rules).to.include.members(['lead', 'account', 'contact']);
    expect(res.body.mappings.problems).to.deep.equal([]);
  });

  const refusals: [string, () => request.Test, number, string][] = [
    [
      'not JSON',
      () => request(app).post('/transform').set('content-type', 'application/json').send('[{"message": '),
      400,
      'INVALID_JSON',
    ],
    [
      'not an array',
      () =>
        request(app)
          .post('/transform')
          .send({ message: { type: 'identify' } }),
      400,
      'NOT_AN_ARRAY',
    ],
    [
      'an array of non-objects',
      () =>
        request(app)
          .post('/transform')
          .send([identify('a@example.com', 1), 'oops', 3]),
      400,
      'ITEM_NOT_AN_OBJECT',
    ],
    [
      'a 10 MB body',
      () =>
        request(app)
          .post('/transform')
          .set('content-type', 'application/json')
          .send(JSON.stringify([{ message: { type: 'identify', traits: { blob: 'x'.repeat(10 * 1024 * 1024) } } }])),
      413,
      'BODY_TOO_LARGE',
    ],
    [
      '200-level nesting',
      () =>
        request(app)
          .post('/transform')
          .set('content-type', 'application/json')
          .send(`[{"message":{"type":"identify","traits":${'{"a":'.repeat(200)}1${'}'.repeat(200)}}}]`),
      400,
      'TOO_DEEP',
    ],
  ];
  for (const [what, send, status, code] of refusals) {
    it(`refuses ${what} with ${status} ${code}, and keeps serving`, async () => {
      const res = await send();
      expect(res.status).to.equal(status);
      expect(res.body).to.have.keys('error');
      expect(res.body.error.code).to.equal(code);
      expect(res.body.error.message).to.be.a('string').with.length.greaterThan(0);
      const after = await request(app)
        .post('/transform')
        .send([identify('after@example.com', 9)]);
      expect(after.status).to.equal(200);
      expect(after.body[0].statusCode).to.equal(200);
    });
  }

  it('names where the body nests too deep', async () => {
    const res = await request(app)
      .post('/transform')
      .set('content-type', 'application/json')
      .send(`[{"message":{"type":"identify","traits":${'{"a":'.repeat(100)}1${'}'.repeat(100)}}}]`);
    expect(res.body.error.message).to.match(/\[0\]\.message\.traits\.a\.a/);
  });

  it('a __proto__ key in a body pollutes no object in the server', async () => {
    const body =
      '[{"message":{"type":"identify","traits":{"email":"p@example.com","__proto__":{"polluted":"yes"}},"integrations":{"Salesforce":true}},"metadata":{"__proto__":{"polluted":"yes"}}}]';
    const res = await request(app).post('/transform').set('content-type', 'application/json').send(body);
    expect(res.status).to.equal(200);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(JSON.stringify(res.body[0].output[0].fields)).not.to.include('polluted');
    expect(res.body[0].output[0].skipped).to.deep.include({
      key: 'traits.__proto__',
      reason: 'reserved key, never sent',
    });
  });

  it('an empty array answers an empty array', async () => {
    const res = await request(app).post('/transform').send([]);
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal([]);
  });
});
