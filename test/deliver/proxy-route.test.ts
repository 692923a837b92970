import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { Writable } from 'node:stream';
import winston from 'winston';
import { proxyRoute, type Execute } from '../../src/server/routes/proxy.js';
import type { Operation } from '../../src/operation/operation.js';
import { startFakeSalesforce, type FakeSalesforce } from './fake-salesforce.js';

const op = (object = 'Lead'): Operation => ({
  mapping: 'm',
  object,
  operation: 'create',
  fields: { LastName: 'L' },
  http: [],
});

describe('POST /proxy route (stub executor, fake Salesforce)', () => {
  let sf: FakeSalesforce;
  let logLines: string[];
  let calls: Array<{ count: number; instanceUrl: string; apiVersion: string }>;
  let execute: Execute;

  const appWith = (exec?: Execute) => {
    const app = express();
    app.use(express.json());
    const logger = winston.createLogger({
      transports: [
        new winston.transports.Stream({
          stream: new Writable({
            write: (c, _e, cb) => {
              logLines.push(String(c));
              cb();
            },
          }),
        }),
      ],
    });
    app.post(
      '/proxy',
      proxyRoute({
        env: {
          ALLOWED_SALESFORCE_HOSTS: '127.0.0.1',
          SALESFORCE_LOGIN_URL: sf.url,
          SALESFORCE_CLIENT_ID: 'cid',
          SALESFORCE_CLIENT_SECRET: 'cs',
        },
        execute: exec ?? execute,
        logger,
      }),
    );
    return app;
  };

  beforeEach(async () => {
    sf = await startFakeSalesforce();
    logLines = [];
    calls = [];
    // Delivers every event by calling Salesforce once; reports the event's first object back.
    execute = async (events, client) => {
      calls.push({ count: events.length, instanceUrl: client.instanceUrl, apiVersion: client.apiVersion });
      const out = [];
      for (const e of events) {
        const res = await client.request({
          method: 'POST',
          path: `/services/data/v${client.apiVersion}/sobjects/${e.operations[0].object}`,
          body: {},
        });
        out.push(
          res.status < 300
            ? {
                statusCode: 200 as const,
                results: [{ object: e.operations[0].object, id: '00Q000000000001AAA', created: true }],
              }
            : { statusCode: 400 as const, error: 'x' },
        );
      }
      return out;
    };
  });
  afterEach(() => sf.close());

  const password = (user = 'ada') => ({ Config: { userName: user, password: 'pw', initialAccessToken: 'tok' } });

  it('refuses a body that is not an array of objects, and only then fails the whole request', async () => {
    for (const body of [{ a: 1 }, [1, 2], [{}, null]]) {
      const res = await request(appWith()).post('/proxy').send(body).set('content-type', 'application/json');
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.be.oneOf(['NOT_AN_ARRAY', 'ITEM_NOT_AN_OBJECT']);
    }
  });

  it('one outcome per item, same order; bad items fail alone; metadata echoed without secret', async () => {
    const items = [
      { metadata: { jobId: 1, nested: { a: [1] } }, destination: password(), output: [op()] },
      { metadata: { jobId: 2 }, destination: password(), output: [] },
      {
        metadata: { jobId: 3, secret: { access_token: 'SECRET-AT', instance_url: 'https://evil.io' } },
        destination: { Config: {} },
        output: [op()],
      },
      { metadata: { jobId: 4 }, destination: { Config: {} }, output: [op()] },
      {
        metadata: { jobId: 5 },
        destination: password(),
        output: [{ object: 'Lead; DROP', operation: 'create', fields: {} }],
      },
      { metadata: { jobId: 6 }, destination: { Config: { ...password().Config, apiVersion: '../x' } }, output: [op()] },
      {
        metadata: {
          jobId: 7,
          secret: { access_token: 'SECRET-AT2', instance_url: 'https://login.salesforce.com@evil.io' },
        },
        destination: { Config: {} },
        output: [op()],
      },
      { metadata: { jobId: 8 }, destination: password(), output: [op('Contact')] },
    ];
    const res = await request(appWith()).post('/proxy').send(items);
    expect(res.status).to.equal(200);
    expect(res.body.map((r: { metadata: { jobId: number } }) => r.metadata.jobId)).to.deep.equal([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    expect(res.body.map((r: { statusCode: number }) => r.statusCode)).to.deep.equal([
      200, 400, 400, 400, 400, 400, 400, 200,
    ]);
    expect(res.body[0]).to.deep.equal({
      metadata: { jobId: 1, nested: { a: [1] } },
      statusCode: 200,
      results: [{ object: 'Lead', id: '00Q000000000001AAA', created: true }],
    });
    expect(res.body[1].errorCode).to.equal('INVALID_ITEM');
    expect(res.body[2]).to.deep.equal({
      metadata: { jobId: 3 },
      statusCode: 400,
      errorCode: 'HOST_NOT_ALLOWED',
      error:
        'instance URL host "evil.io" refused: not a Salesforce domain (the operator can allow it with ALLOWED_SALESFORCE_HOSTS)',
    });
    expect(res.body[3].errorCode).to.equal('NO_CREDENTIALS');
    expect(res.body[4].errorCode).to.equal('INVALID_OPERATION');
    expect(res.body[5].errorCode).to.equal('INVALID_CONFIG');
    expect(res.body[6].error).to.contain('user information');
    expect(JSON.stringify(res.body)).not.to.contain('SECRET-AT');
    // The two good items share credentials: one login, one executor run.
    expect(sf.tokenRequests).to.have.length(1);
    expect(calls).to.deep.equal([{ count: 2, instanceUrl: sf.url, apiVersion: '66.0' }]);
    // Nothing was sent to the refused hosts (the fake only sees the one login + two writes).
    expect(sf.restRequests).to.have.length(2);
  });

  it('groups by credentials: two users → two logins, two executor runs', async () => {
    const items = [password('ada'), password('bob'), password('ada')].map((destination, i) => ({
      metadata: { jobId: i },
      destination,
      output: [op()],
    }));
    const res = await request(appWith()).post('/proxy').send(items);
    expect(res.body.map((r: { statusCode: number }) => r.statusCode)).to.deep.equal([200, 200, 200]);
    expect(sf.tokenRequests.map((t) => t.form.get('username')).sort()).to.deep.equal(['ada', 'bob']);
    expect(calls.map((c) => c.count).sort()).to.deep.equal([1, 2]);
  });

  it('a failed login gives every item of that group the same outcome; other groups are unaffected', async () => {
    const items = [
      { metadata: { jobId: 1 }, destination: password('ada'), output: [op()] },
      { metadata: { jobId: 2 }, destination: { Config: {} }, output: [op()] },
    ];
    items[1].metadata = { jobId: 2, secret: { access_token: 'expired', instance_url: sf.url } } as never;
    sf.tokenAnswer = {
      status: 400,
      body: JSON.stringify({ error: 'invalid_grant', error_description: 'authentication failure' }),
    };
    const res = await request(appWith()).post('/proxy').send(items);
    expect(res.body[0]).to.include({ statusCode: 400, errorCode: 'invalid_grant' });
    // The OAuth item has no refresh token: the router must refresh it.
    expect(res.body[1]).to.include({ statusCode: 500, authErrorCategory: 'REFRESH_TOKEN' });
    expect(res.body[1].metadata).to.deep.equal({ jobId: 2 });
  });

  it('an executor that throws or loses events still yields one outcome per item (500, retryable)', async () => {
    const items = [1, 2, 3].map((jobId) => ({ metadata: { jobId }, destination: password(), output: [op()] }));
    const thrown = await request(
      appWith(async () => {
        throw new Error('executor bug');
      }),
    )
      .post('/proxy')
      .send(items);
    expect(thrown.body.map((r: { statusCode: number; error: string }) => [r.statusCode, r.error])).to.deep.equal([
      [500, 'executor bug'],
      [500, 'executor bug'],
      [500, 'executor bug'],
    ]);
    const lost = await request(appWith(async () => [{ statusCode: 200 }]))
      .post('/proxy')
      .send(items);
    expect(lost.body.map((r: { statusCode: number }) => r.statusCode)).to.deep.equal([200, 500, 500]);
    expect(lost.body[2].errorCode).to.equal('NO_OUTCOME');
  });

  it('logs one line per request with counts and statuses, never a secret or token', async () => {
    const items = [
      {
        metadata: { jobId: 1, secret: { access_token: 'SECRET-AT', instance_url: sf.url, refresh_token: 'SECRET-RT' } },
        destination: { Config: {} },
        output: [op()],
      },
      { metadata: { jobId: 2 }, destination: password(), output: [op()] },
    ];
    await request(appWith()).post('/proxy').send(items);
    expect(logLines).to.have.length(1);
    const line = JSON.parse(logLines[0]);
    expect(line).to.include({ level: 'info', count: 2 });
    expect(line.statuses).to.deep.equal({ 200: 2 }); // the OAuth item was refreshed with SECRET-RT on the way
    expect(logLines[0]).not.to.match(/SECRET|pw|tok-/);
  });
});
