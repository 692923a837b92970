// Clear answers for malformed requests, and event keys that happen to be Object.prototype names.
import { expect } from 'chai';
import request from 'supertest';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { transformItems } from '../../src/mapping/transform.js';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';

describe('hostile input: clear answers and own-property lookups', () => {
  const store = new MappingStore();
  store.load();
  const { app } = createApp({ store, logger: createLogger('silent') });

  for (const body of ['"a string"', '5', 'null', 'true', '{"message":{}}']) {
    it(`valid JSON that is not an array (${body}) is told so, not "not valid JSON"`, async () => {
      const res = await request(app).post('/transform').set('content-type', 'application/json').send(body);
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('NOT_AN_ARRAY');
      expect(res.body.error.message).to.match(/must be a JSON array/);
    });
  }

  it('type: 5 says "must be a string", not "missing"', async () => {
    const res = await request(app)
      .post('/transform')
      .send([
        { message: { type: 5 }, metadata: { jobId: 1 } },
        { message: { type: ['identify'] }, metadata: { jobId: 2 } },
      ]);
    expect(res.body[0]).to.include({ statusCode: 400, error: 'message.type must be a string (got a number)' });
    expect(res.body[1]).to.include({ statusCode: 400, error: 'message.type must be a string (got a list)' });
  });

  const identify = (traits: Record<string, unknown>) => ({
    message: {
      type: 'identify',
      traits: { email: 'a@example.com', lastName: 'L', ...traits },
      integrations: { Salesforce: true },
    },
    metadata: { jobId: 1 },
    destination: { Config: { mapProperties: false } },
  });
  for (const key of ['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf']) {
    it(`a trait named ${key} is an ordinary unknown key (no inherited method's arity as a field length)`, async () => {
      const [odd, plain] = await transformItems(
        [identify({ [key]: 'abcdef' }), identify({ NoSuchField: 'abcdef' })],
        store.current,
      );
      expect(odd.statusCode).to.equal(200);
      if (odd.statusCode !== 200 || plain.statusCode !== 200) return;
      // Same treatment as any unknown name: set aside with the object's "has no field", never sent trimmed.
      expect(Object.hasOwn(odd.output[0].fields, key)).to.equal(false);
      expect(odd.output[0].skipped).to.deep.equal([{ key: `traits.${key}`, reason: `Lead has no field ${key}` }]);
      expect(plain.output[0].skipped).to.deep.equal([
        { key: 'traits.NoSuchField', reason: 'Lead has no field NoSuchField' },
      ]);
    });
  }

  it('an rETL identifierType of toString is treated as any unknown field name', async () => {
    const retl = (idType: string) => ({
      message: {
        type: 'identify',
        traits: { [idType]: 'v', Name: 'n' },
        context: {
          mappedToDestination: true,
          externalId: [{ type: 'SALESFORCE-Account', id: 'v', identifierType: idType }],
        },
      },
      metadata: { jobId: 1 },
    });
    const [odd, plain] = await transformItems([retl('toString'), retl('NoSuchField')], store.current);
    const norm = (r: unknown, name: string) => JSON.parse(JSON.stringify(r).replaceAll(name, 'X'));
    expect(norm(odd, 'toString')).to.deep.equal(norm(plain, 'NoSuchField'));
  });
});
