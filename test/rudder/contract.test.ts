// rudder-server driving the rudder routes exactly as its router does (rudder-server-sim.ts), in both
// delivery modes, against the emulated org.
import { expect } from 'chai';
import request from 'supertest';
import { identify, passwordConfig, startApps, type Apps } from './apps.js';
import { deliver, destination, job, proxyV1, routerTransform, type DestinationJob } from './rudder-server-sim.js';

describe('rudder-server contract', function () {
  let apps: Apps;
  before(async () => {
    apps = await startApps();
  });
  after(() => apps?.close());
  beforeEach(() => apps.emulator.state.reset());

  const password = () => destination('SALESFORCE', passwordConfig());
  const oauth = (name = 'SALESFORCE_OAUTH') => destination(name, {}, `dest-${name.toLowerCase()}`);
  const leads = () => apps.emulator.state.list('Lead');
  const apiCalls = () => apps.emulator.state.getStats().apiCalls;

  describe('GET /features', () => {
    it('advertises router transform for the three Salesforce definitions, proxy v1 and compacted payloads, with apiVersion 2', async () => {
      const res = await request(apps.direct).get('/features');
      expect(res.status).to.equal(200);
      expect(res.headers.apiversion).to.equal('2');
      expect(res.body.routerTransform).to.deep.equal({
        SALESFORCE: true,
        SALESFORCE_OAUTH: true,
        SALESFORCE_OAUTH_SANDBOX: true,
      });
      expect(res.body.supportTransformerProxyV1).to.equal(true);
      expect(res.body.supportDestTransformCompactedPayloadV1).to.equal(true);
      // Without one of these rudder-server's features service panics ("v0 has been deprecated").
      expect(res.body.upgradedToSourceTransformV2 || res.body.supportSourceTransformV1).to.equal(true);
      expect(res.body.regulations).to.be.an('array');
    });
  });

  describe('unknown destinations', () => {
    for (const path of [
      '/v0/destinations/hubspot',
      '/v0/destinations/hubspot/proxy',
      '/v1/destinations/hubspot/proxy',
    ]) {
      it(`POST ${path} answers 404 naming the served definitions`, async () => {
        const res = await request(apps.proxy).post(path).send({});
        expect(res.status).to.equal(404);
        expect(res.headers.apiversion).to.equal('2');
        expect(res.body.error.message).to.include('SALESFORCE, SALESFORCE_OAUTH, SALESFORCE_OAUTH_SANDBOX');
      });
    }
    it('a routerTransform for another destType answers 404 naming the served definitions', async () => {
      const res = await request(apps.direct).post('/routerTransform').send({ input: [], destType: 'hubspot' });
      expect(res.status).to.equal(404);
      expect(res.body.error.message).to.include('"hubspot" is not served here');
    });
  });

  describe('direct mode (rudder-server sends each request)', () => {
    it('username-password: one SOQL for the call, one concrete request per event with the bearer token', async () => {
      const dest = password();
      apps.emulator.state.seed('Lead', [{ Email: 'old@example.com', LastName: 'Old', Company: 'Old Co' }]);
      const jobs = [
        job(1, identify('new@example.com'), dest),
        job(2, identify('old@example.com'), dest),
        job(3, identify(''), dest),
      ];
      const outputs = await routerTransform(apps.direct, jobs);
      expect(apiCalls(), 'routerTransform itself: one lookup for both emails').to.equal(1);
      const byJob = (id: number) => outputs.find((o) => o.metadata.some((m) => m.jobId === id))!;
      const create = byJob(1).batchedRequest as { method: string; endpoint: string; headers: Record<string, string> };
      expect(create.method).to.equal('POST');
      expect(create.endpoint).to.equal(`${apps.emulator.url}/services/data/v66.0/sobjects/Lead`);
      expect(create.headers.Authorization).to.match(/^Bearer \S+/);
      expect((byJob(2).batchedRequest as { method: string; endpoint: string }).endpoint).to.match(
        /\/sobjects\/Lead\/00Q\w+$/,
      );
      expect(byJob(3).statusCode).to.equal(400);
      expect(byJob(3).error).to.match(/email/i);
      expect(byJob(3).statTags).to.include({
        destType: 'SALESFORCE',
        feature: 'router',
        errorType: 'instrumentation',
        destinationId: dest.ID,
        workspaceId: 'ws-1',
      });

      const statuses = await deliver(apps.direct, outputs, 'direct', 'SALESFORCE');
      expect(statuses.get(1)!.statusCode).to.equal(201);
      expect(statuses.get(2)!.statusCode).to.equal(204);
      expect(statuses.get(3)!.statusCode).to.equal(400);
      expect(
        leads()
          .map((l) => l.Email)
          .sort(),
      ).to.deep.equal(['new@example.com', 'old@example.com']);
      expect(apiCalls(), '1 lookup + 2 writes for 3 events (RudderStack: 2 per event)').to.equal(3);
    });

    it('OAuth, compacted body, secret in the Oauth-Secret header: each request carries the router token, no login', async () => {
      const token = apps.emulator.state.issueToken();
      const dest = oauth();
      const secret = { access_token: token.access_token, instance_url: token.instance_url };
      const jobs = [job(7, identify('a@example.com'), dest), job(8, identify('b@example.com'), dest)];
      const outputs = await routerTransform(apps.direct, jobs, { compacted: true, oauthSecret: secret });
      expect(outputs).to.have.length(2);
      for (const o of outputs)
        expect((o.batchedRequest as { headers: Record<string, string> }).headers.Authorization).to.equal(
          `Bearer ${token.access_token}`,
        );
      expect(apps.emulator.state.getStats().tokenRequests, 'no login: the router token serves').to.equal(0);
      const statuses = await deliver(apps.direct, outputs, 'direct', 'SALESFORCE_OAUTH');
      expect([...statuses.values()].map((s) => s.statusCode)).to.deep.equal([201, 201]);
      expect(leads()).to.have.length(2);
    });

    it('two events for the same new record share one output: one create, both jobs answered by it', async () => {
      const dest = password();
      const jobs = [
        job(1, identify('same@example.com', { title: 'CEO' }), dest),
        job(2, identify('same@example.com', { phone: '555' }), dest),
      ];
      const outputs = await routerTransform(apps.direct, jobs);
      expect(outputs).to.have.length(1);
      expect(outputs[0].batched).to.equal(true);
      expect(outputs[0].metadata.map((m) => m.jobId)).to.deep.equal([1, 2]);
      const statuses = await deliver(apps.direct, outputs, 'direct', 'SALESFORCE');
      expect([...statuses.values()].map((s) => s.statusCode)).to.deep.equal([201, 201]);
      expect(leads()).to.have.length(1);
      expect(leads()[0]).to.include({ Title: 'CEO', Phone: '555' });
    });

    it("an expired OAuth token: REFRESH_TOKEN on that destination's jobs only", async () => {
      const token = apps.emulator.state.issueToken();
      apps.emulator.state.expireTokens();
      const expired = oauth();
      const jobs = [
        {
          ...job(1, identify('x@example.com'), expired),
          metadata: {
            ...job(1, identify('x@example.com'), expired).metadata,
            secret: { access_token: token.access_token, instance_url: token.instance_url },
          },
        },
        job(2, identify('y@example.com'), password()),
      ];
      const outputs = await routerTransform(apps.direct, jobs);
      const first = outputs.find((o) => o.metadata[0].jobId === 1)!;
      expect(first).to.include({ statusCode: 500, authErrorCategory: 'REFRESH_TOKEN' });
      expect(first.statTags).to.include({ errorType: 'retryable', feature: 'router' });
      expect(outputs.find((o) => o.metadata[0].jobId === 2)!.statusCode).to.equal(200);
    });

    it('a direct-mode request handed to the v1 proxy (transformerProxy on) is sent once with the session and classified', async () => {
      const dest = password();
      const outputs = await routerTransform(apps.direct, [job(1, identify('p@example.com'), dest)]);
      const statuses = await deliver(apps.direct, outputs, 'proxy', 'SALESFORCE');
      expect(statuses.get(1)!.statusCode).to.equal(200);
      expect(leads()).to.have.length(1);
    });
  });

  describe('proxy mode (Router.SALESFORCE.transformerProxy=true)', () => {
    it('20 jobs of one destination: one batched output, one response entry per job, 3 API calls', async () => {
      const dest = password();
      apps.emulator.state.seed('Lead', [{ Email: 'u3@example.com', LastName: 'Old', Company: 'Old Co' }]);
      const jobs = Array.from({ length: 20 }, (_, i) => job(100 + i, identify(`u${i}@example.com`), dest));
      const outputs = await routerTransform(apps.proxy, jobs, { compacted: true });
      expect(outputs).to.have.length(1);
      expect(outputs[0]).to.include({ statusCode: 200, batched: true });
      expect(apiCalls(), 'routerTransform is pure in proxy mode').to.equal(0);
      const statuses = await deliver(apps.proxy, outputs, 'proxy', 'SALESFORCE');
      expect([...statuses.values()].every((s) => s.statusCode === 200)).to.equal(true);
      expect(statuses.size).to.equal(20);
      expect(leads()).to.have.length(20);
      expect(apps.emulator.state.getStats().byPath).to.deep.include({ 'GET query': 1 });
      expect(apiCalls(), '1 lookup + 1 create collection + 1 update collection for 20 events').to.equal(3);
      expect(JSON.parse(statuses.get(103)!.body).results[0]).to.include({ object: 'Lead', created: false });
    });

    it('OAuth with the secret in the Oauth-Secret header: the batched output carries it to the proxy, which uses the router token', async () => {
      const token = apps.emulator.state.issueToken();
      const dest = oauth();
      const secret = { access_token: token.access_token, instance_url: token.instance_url };
      const outputs = await routerTransform(
        apps.proxy,
        [job(1, identify('a@example.com'), dest), job(2, identify('b@example.com'), dest)],
        { compacted: true, oauthSecret: secret },
      );
      expect(outputs).to.have.length(1);
      expect(
        outputs[0].metadata.map((m) => m.secret),
        'rudder-server builds the proxy metadata from these',
      ).to.deep.equal([secret, secret]);
      const statuses = await deliver(apps.proxy, outputs, 'proxy', 'SALESFORCE_OAUTH');
      expect([...statuses.values()].map((s) => s.statusCode)).to.deep.equal([200, 200]);
      expect(apps.emulator.state.getStats().tokenRequests).to.equal(0);
      expect(leads()).to.have.length(2);
    });

    it("one bad record in a batch: only its job is aborted, with Salesforce's errorCode", async () => {
      const dest = password();
      apps.emulator.state.addRecordFault({
        object: 'Lead',
        field: 'Email',
        value: 'bad@example.com',
        statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: 'no bad leads',
      });
      const jobs = [
        job(1, identify('ok1@example.com'), dest),
        job(2, identify('bad@example.com'), dest),
        job(3, identify('ok2@example.com'), dest),
      ];
      const outputs = await routerTransform(apps.proxy, jobs);
      const statuses = await deliver(apps.proxy, outputs, 'proxy', 'SALESFORCE');
      expect(statuses.get(1)!.statusCode).to.equal(200);
      expect(statuses.get(3)!.statusCode).to.equal(200);
      expect(statuses.get(2)!.statusCode).to.equal(400);
      expect(statuses.get(2)!.body).to.include('FIELD_CUSTOM_VALIDATION_EXCEPTION');
      expect(
        leads()
          .map((l) => l.Email)
          .sort(),
      ).to.deep.equal(['ok1@example.com', 'ok2@example.com']);
    });

    it("an expired OAuth token: REFRESH_TOKEN (HTTP 500 as rudder-transformer) for that destination's jobs; the password one re-logs in", async () => {
      const token = apps.emulator.state.issueToken();
      const secret = { access_token: token.access_token, instance_url: token.instance_url };
      const oauthDest = oauth('SALESFORCE_OAUTH_SANDBOX');
      const oauthJobs = [
        job(1, identify('o1@example.com'), oauthDest, { secret }),
        job(2, identify('o2@example.com'), oauthDest, { secret }),
      ];
      const passwordJobs = [job(3, identify('p1@example.com'), password())];
      const oauthOut = await routerTransform(apps.proxy, oauthJobs, { destType: 'salesforce_oauth_sandbox' });
      const passwordOut = await routerTransform(apps.proxy, passwordJobs);
      await deliver(apps.proxy, passwordOut, 'proxy', 'SALESFORCE'); // a session exists, then every token dies
      apps.emulator.state.expireTokens();
      const passwordAgain = await routerTransform(apps.proxy, [job(4, identify('p2@example.com'), password())]);
      const o = await deliver(apps.proxy, oauthOut, 'proxy', 'SALESFORCE_OAUTH_SANDBOX');
      const p = await deliver(apps.proxy, passwordAgain, 'proxy', 'SALESFORCE');
      expect(o.get(1)!.statusCode).to.equal(500);
      expect(o.get(2)!.statusCode).to.equal(500);
      expect(o.get(1)!.body).to.match(/expired/);
      expect(p.get(4)!.statusCode).to.equal(200);
      const res = await request(apps.proxy)
        .post('/v1/destinations/salesforce_oauth_sandbox/proxy')
        .send({ ...(oauthOut[0].batchedRequest as object), metadata: oauthOut[0].metadata, destinationConfig: {} });
      expect(res.status).to.equal(500);
      expect(res.body.output).to.include({ authErrorCategory: 'REFRESH_TOKEN', status: 500 });
      expect(res.body.output.statTags).to.include({
        destType: 'SALESFORCE_OAUTH_SANDBOX',
        feature: 'dataDelivery',
        errorType: 'retryable',
      });
      expect(JSON.stringify(res.body), 'the answer never carries the secret back').not.to.include(token.access_token);
    });

    it('Salesforce throttling (503 SERVER_UNAVAILABLE) answers 429 per job, which rudder-server retries', async () => {
      apps.emulator.state.addFault({
        kind: 'error',
        status: 503,
        errorCode: 'SERVER_UNAVAILABLE',
        method: 'GET',
        path: 'query',
      });
      const outputs = await routerTransform(apps.proxy, [
        job(1, identify('a@example.com'), password()),
        job(2, identify('b@example.com'), password()),
      ]);
      const statuses = await deliver(apps.proxy, outputs, 'proxy', 'SALESFORCE');
      expect([...statuses.values()].map((s) => s.statusCode)).to.deep.equal([429, 429]);
      expect(statuses.get(1)!.body).to.include('SERVER_UNAVAILABLE');
      expect(leads()).to.have.length(0);
    });

    it('a dontBatch job (a retry after a batched failure) travels alone', async () => {
      const dest = password();
      const jobs = [
        job(1, identify('a@example.com'), dest),
        job(2, identify('b@example.com'), dest, { dontBatch: true }),
        job(3, identify('c@example.com'), dest),
      ];
      const outputs = await routerTransform(apps.proxy, jobs);
      expect(outputs.map((o) => o.metadata.map((m) => m.jobId))).to.have.deep.members([[1, 3], [2]]);
    });

    it('a batched request sent by rudder-server itself (transformerProxy off) fails retryably, reaching no host', async () => {
      const outputs = await routerTransform(apps.proxy, [job(1, identify('a@example.com'), password())]);
      const statuses = await deliver(apps.proxy, outputs, 'direct', 'SALESFORCE');
      expect(statuses.get(1)!.statusCode).to.equal(504);
      expect(statuses.get(1)!.body).to.include('transformerProxy=true');
    });

    it('a repeated jobId in a proxy request is answered once', async () => {
      const outputs = await routerTransform(apps.proxy, [job(1, identify('a@example.com'), password())]);
      const statuses = await proxyV1(
        apps.proxy,
        outputs[0].batchedRequest as never,
        [outputs[0].metadata[0], outputs[0].metadata[0]],
        passwordConfig(),
        'SALESFORCE',
      );
      expect(statuses.size).to.equal(1);
      expect(leads()).to.have.length(1);
    });
  });

  describe('the same events through /transform + /proxy and routerTransform + v1 proxy', () => {
    it('leave the same records', async () => {
      const dest = password();
      const events = [
        identify('one@example.com', { title: 'CTO' }),
        identify('two@example.com'),
        identify('one@example.com', { phone: '1' }),
        {
          type: 'group',
          groupId: '813',
          userId: 'g',
          integrations: { All: true },
          traits: { name: 'Teemo Industries', employees: 4 },
        },
      ];
      const comparable = () =>
        ['Lead', 'Account'].flatMap((o) =>
          apps.emulator.state.list(o).map((r) => {
            const {
              Id: _id,
              CreatedDate: _c,
              LastModifiedDate: _l,
              SystemModstamp: _s,
              ...rest
            } = r as Record<string, unknown>;
            return { object: o, ...rest };
          }),
        );
      // The classic path: the rudder routes read requireIntegrationFlag off, so /transform gets it explicitly.
      const config = { ...dest.Config, requireIntegrationFlag: false };
      const transformed = await request(apps.proxy)
        .post('/transform')
        .send(events.map((message, i) => ({ message, metadata: { jobId: i + 1 }, destination: { Config: config } })));
      const delivered = await request(apps.proxy)
        .post('/proxy')
        .send(
          transformed.body.map((r: { metadata: unknown; output: unknown }) => ({
            ...r,
            destination: { Config: config },
          })),
        );
      expect(delivered.body.map((r: { statusCode: number }) => r.statusCode)).to.deep.equal([200, 200, 200, 200]);
      const classic = comparable();
      apps.emulator.state.reset();
      const outputs = await routerTransform(
        apps.proxy,
        events.map((e, i) => job(i + 1, e, dest)),
      );
      const statuses = await deliver(apps.proxy, outputs, 'proxy', 'SALESFORCE');
      expect([...statuses.values()].map((s) => s.statusCode)).to.deep.equal([200, 200, 200, 200]);
      expect(comparable()).to.deep.equal(classic);
      expect(classic).to.have.length(3);
    });
  });

  describe('envelopes rudder-server should never send', () => {
    it('a body without input, an item without metadata or jobId: the request is refused, naming the place, with apiVersion', async () => {
      for (const [body, place] of [
        [{ destType: 'salesforce' }, 'input'],
        [{ input: [{ message: {}, metadata: { jobId: 1 } }, { message: {} }], destType: 'salesforce' }, 'input[1]'],
        [{ input: [{ message: {}, metadata: { jobId: 'x' } }] }, 'input[0].metadata.jobId'],
      ] as const) {
        const res = await request(apps.direct).post('/routerTransform').send(body);
        expect(res.status).to.equal(400);
        expect(res.headers.apiversion).to.equal('2');
        expect(res.body.error.message).to.include(place);
      }
      const bad = await request(apps.direct)
        .post('/routerTransform')
        .set('content-type', 'application/json')
        .send('{"input": [');
      expect(bad.status).to.equal(400);
      expect(bad.headers.apiversion).to.equal('2');
      const deep = await request(apps.direct)
        .post('/routerTransform')
        .set('content-type', 'application/json')
        .send(`{"input": [${'['.repeat(200)}${']'.repeat(200)}]}`);
      expect(deep.status).to.equal(400);
      expect(deep.body.error.code).to.equal('TOO_DEEP');
      expect(deep.headers.apiversion).to.equal('2');
    });

    it('duplicate jobIds, a missing compacted destination, a malformed Oauth-Secret, another definition: an error for those jobs only, each jobId once', async () => {
      const dest = password();
      const dup = await routerTransform(apps.proxy, [
        job(1, identify('a@example.com'), dest),
        job(2, identify('b@example.com'), dest),
        job(1, identify('c@example.com'), dest),
      ]);
      const one = dup.find((o) => o.metadata[0].jobId === 1)!;
      expect(one.statusCode).to.equal(400);
      expect(one.error).to.include('jobId 1 appears 2 times');
      expect(one.statTags).to.include({ errorCategory: 'platform' });
      expect(dup.find((o) => o.metadata.some((m) => m.jobId === 2))!.statusCode).to.equal(200);

      const res = await request(apps.proxy)
        .post('/routerTransform')
        .set('X-Content-Format', 'json+compactedv1')
        .send({
          destType: 'salesforce',
          input: [
            { message: identify('a@example.com'), metadata: { jobId: 5, destinationId: 'nowhere' } },
            { message: identify('b@example.com'), metadata: { jobId: 6, destinationId: dest.ID } },
          ],
          destinations: { [dest.ID]: dest },
        });
      const out = res.body.output as DestinationJob[];
      // Sending it again cannot give it a destination: refused, not retried (issue 10 item 18).
      expect(out.find((o) => o.metadata[0].jobId === 5)).to.include({ statusCode: 400 });
      expect(out.find((o) => o.metadata[0].jobId === 5)!.error).to.match(/^NO_DESTINATION: .*"nowhere"/);
      expect(out.find((o) => o.metadata[0].jobId === 6)!.statusCode).to.equal(200);

      const secret = await request(apps.proxy)
        .post('/routerTransform')
        .set('Oauth-Secret', '{not json')
        .send({ destType: 'salesforce_oauth', input: [job(9, identify('a@example.com'), oauth())] });
      expect(secret.body.output[0]).to.include({ statusCode: 500 });
      expect(secret.body.output[0].error).to.include('Oauth-Secret');

      const other = await routerTransform(apps.proxy, [job(11, identify('a@example.com'), destination('HS', {}))], {
        destType: 'salesforce',
      });
      expect(other[0].statusCode).to.equal(400);
      expect(other[0].error).to.include('"HS" is not served here');
    });

    it('no credentials: a configuration error per job in direct mode, per job in the proxy', async () => {
      const dest = destination('SALESFORCE', {});
      const direct = await routerTransform(apps.direct, [job(1, identify('a@example.com'), dest)]);
      expect(direct[0]).to.include({ statusCode: 400 });
      expect(direct[0].statTags).to.include({ errorType: 'configuration' });
      const proxied = await routerTransform(apps.proxy, [job(1, identify('a@example.com'), dest)]);
      const statuses = await deliver(apps.proxy, proxied, 'proxy', 'SALESFORCE');
      expect(statuses.get(1)!.statusCode).to.equal(400);
      expect(statuses.get(1)!.body).to.include('NO_CREDENTIALS');
    });
  });

  describe('filtering', () => {
    it('events rudder-server routed here are not filtered again by integrations.Salesforce, unless the Config asks (298)', async () => {
      const routed = await routerTransform(apps.proxy, [job(1, identify('a@example.com'), password())]);
      expect(routed[0].statusCode).to.equal(200);
      const strict = destination('SALESFORCE', { ...passwordConfig(), requireIntegrationFlag: true });
      const filtered = await routerTransform(apps.proxy, [job(2, identify('a@example.com'), strict)]);
      expect(filtered[0]).to.include({ statusCode: 298 });
      expect(filtered[0].error).to.include('integrations.Salesforce');
      expect(filtered[0].statTags, 'a filtered event is not an error').to.equal(undefined);
    });
  });

  describe('/batch, the processor transform and the v0 proxy', () => {
    it('/batch answers the bare array', async () => {
      const out = await routerTransform(apps.proxy, [job(1, identify('a@example.com'), password())], {
        route: '/batch',
      });
      expect(out).to.have.length(1);
    });

    it('POST /v0/destinations/salesforce: one item per event with a concrete request; the v0 proxy delivers one job', async () => {
      const dest = password();
      const res = await request(apps.direct)
        .post('/v0/destinations/salesforce')
        .send([job(1, identify('v0@example.com'), dest), job(2, identify(''), dest)]);
      expect(res.status).to.equal(200);
      expect(res.headers.apiversion).to.equal('2');
      expect(res.body.map((i: { statusCode: number }) => i.statusCode)).to.deep.equal([200, 400]);
      expect(res.body[1].statTags).to.include({ feature: 'processor' });
      const v0 = await request(apps.direct)
        .post('/v0/destinations/salesforce/proxy')
        .send({ ...res.body[0].output, metadata: res.body[0].metadata, destinationConfig: dest.Config });
      expect(v0.status).to.equal(200);
      expect(v0.headers.apiversion).to.equal('2');
      expect(v0.body.output.status).to.equal(200);
      expect(leads()).to.have.length(1);
    });
  });
});
