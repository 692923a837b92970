// Direct mode reads each job's credentials once per distinct (secret, Config) in a request: the memo
// must answer exactly what reading every job would, and a job with another secret never gets the
// session of its neighbour.
import { expect } from 'chai';
import request from 'supertest';
import { accessMemo, accessOf, deliveryDepsFromEnv, type Access } from '../../src/rudder/destination-access.js';
import { sameJson } from '../../src/rudder/same-json.js';
import { identify, passwordConfig, startApps, type Apps } from './apps.js';
import { destination, job } from './rudder-server-sim.js';

describe('sameJson', () => {
  const equal: Array<[unknown, unknown]> = [
    [null, null],
    ['a', 'a'],
    [1, 1],
    [{}, {}],
    [[], []],
    [
      { a: 1, b: [1, { c: 'x' }] },
      { b: [1, { c: 'x' }], a: 1 },
    ],
    [JSON.parse('{"__proto__": {"x": 1}}'), JSON.parse('{"__proto__": {"x": 1}}')],
  ];
  const different: Array<[unknown, unknown]> = [
    [null, {}],
    [{}, []],
    [[], {}],
    ['1', 1],
    [true, 'true'],
    [{ a: 1 }, { a: 1, b: 2 }],
    [{ a: 1, b: 2 }, { a: 1 }],
    [{ a: 1 }, { b: 1 }],
    [{ a: null }, {}],
    [
      [1, 2],
      [2, 1],
    ],
    [[1], [1, 1]],
    [{ a: { b: [1] } }, { a: { b: [1, 2] } }],
    [JSON.parse('{"__proto__": {"x": 1}}'), {}],
  ];
  it('says equal for equal JSON values, key order aside', () => {
    for (const [a, b] of equal) expect(sameJson(a, b), JSON.stringify([a, b])).to.equal(true);
  });
  it('says different for values that differ anywhere, both ways', () => {
    for (const [a, b] of different) {
      expect(sameJson(a, b), JSON.stringify([a, b])).to.equal(false);
      expect(sameJson(b, a), JSON.stringify([b, a])).to.equal(false);
    }
  });
});

describe('accessMemo', () => {
  const deps = deliveryDepsFromEnv({ ALLOWED_SALESFORCE_HOSTS: '127.0.0.1' });
  const secret = (token: string, url = 'http://127.0.0.1:1') => ({ access_token: token, instance_url: url });
  const cases: Array<[unknown, unknown]> = [
    [{ jobId: 1, secret: secret('A') }, {}],
    [{ jobId: 2, secret: secret('A') }, {}],
    [{ jobId: 3, secret: secret('B') }, {}],
    [{ jobId: 4, secret: secret('A') }, { apiVersion: '59.0' }],
    [{ jobId: 5, secret: { access_token: 'A' } }, {}],
    [{ jobId: 6, secret: secret('A', 'https://evil.example.com') }, {}],
    [{ jobId: 7 }, { userName: 'u', password: 'p' }],
    [{ jobId: 8 }, { userName: 'u', password: 'q' }],
    [{ jobId: 9 }, { userName: 'u', password: 'p', unknownFields: 'nope' }],
    [{ jobId: 10, secret: secret('A') }, { consent: { categories: ['a'] } }],
    [{ jobId: 11, secret: secret('A') }, { consent: { categories: ['b'] } }],
    [{ jobId: 12, secret: secret('B') }, {}],
    [{ jobId: 13, secret: secret('A') }, {}],
  ];

  it('answers what accessOf answers for every job, past its few entries too', () => {
    const memo = accessMemo(deps);
    for (const [metadata, config] of [...cases, ...cases.slice().reverse()]) {
      const expected = accessOf(metadata, config, deps);
      const got = memo(structuredClone(metadata), structuredClone(config));
      const where = JSON.stringify([metadata, config]);
      // Keys are per-process HMACs of the credentials: equal credentials, equal key.
      expect(got, where).to.deep.equal(expected);
    }
  });

  it('reads equal inputs once: jobs with copies of one secret and Config share one Access', () => {
    const memo = accessMemo(deps);
    const first = memo({ jobId: 1, secret: secret('A') }, { apiVersion: '62.0' }) as Access;
    const second = memo({ jobId: 2, secret: secret('A') }, { apiVersion: '62.0' }) as Access;
    const other = memo({ jobId: 3, secret: secret('B') }, { apiVersion: '62.0' }) as Access;
    expect(second).to.equal(first);
    expect(other.key).to.not.equal(first.key);
    expect(other.creds).to.include({ accessToken: 'B' });
  });
});

describe('POST /v0/destinations/salesforce with several secrets in one request', function () {
  let apps: Apps;
  before(async () => {
    apps = await startApps();
  });
  after(() => apps?.close());

  it("each job's request carries its own token; an incomplete secret fails its job alone", async () => {
    const a = apps.emulator.state.issueToken();
    const b = apps.emulator.state.issueToken();
    const dest = destination('SALESFORCE_OAUTH', {});
    const withSecret = (id: number, s: unknown) => job(id, identify(`p${id}@example.com`), dest, { secret: s });
    const full = (t: typeof a) => ({ access_token: t.access_token, instance_url: t.instance_url });
    const jobs = [
      withSecret(1, full(a)),
      withSecret(2, full(b)),
      withSecret(3, full(a)),
      withSecret(4, { access_token: b.access_token }),
      withSecret(5, full(b)),
    ];
    const res = await request(apps.direct).post('/v0/destinations/salesforce').send(jobs);
    expect(res.status).to.equal(200);
    const items = res.body as Array<{
      metadata: { jobId: number };
      statusCode: number;
      error?: string;
      output?: { headers: Record<string, string> };
    }>;
    const byJob = new Map(items.map((i) => [i.metadata.jobId, i]));
    expect([1, 2, 3, 4, 5].map((id) => byJob.get(id)?.statusCode)).to.deep.equal([200, 200, 200, 500, 200]);
    expect(byJob.get(4)?.error).to.match(/^INCOMPLETE_SECRET/);
    const tokenOf = (id: number) => byJob.get(id)?.output?.headers.Authorization;
    expect([1, 2, 3, 5].map(tokenOf)).to.deep.equal([
      `Bearer ${a.access_token}`,
      `Bearer ${b.access_token}`,
      `Bearer ${a.access_token}`,
      `Bearer ${b.access_token}`,
    ]);
  });

  it("each job is mapped with its own destination's Config, however the Configs interleave", async () => {
    const dest = (config: Record<string, unknown>) => destination('SALESFORCE', { ...passwordConfig(), ...config });
    const longTitle = 'T'.repeat(300);
    const withConfig = (id: number, config: Record<string, unknown>) =>
      job(id, identify(`t${id}@example.com`, { title: longTitle }), dest(config));
    const jobs = [
      withConfig(1, {}),
      withConfig(2, { trimToFieldLength: false }),
      withConfig(3, {}),
      withConfig(4, { trimToFieldLength: false }),
      withConfig(5, { trimToFieldLength: 'true' }),
    ];
    const res = await request(apps.direct).post('/v0/destinations/salesforce').send(jobs);
    expect(res.status).to.equal(200);
    const items = res.body as Array<{
      metadata: { jobId: number };
      statusCode: number;
      output?: { body: { JSON: Record<string, unknown> } };
    }>;
    const byJob = new Map(items.map((i) => [i.metadata.jobId, i]));
    const titleLength = (id: number) => String(byJob.get(id)?.output?.body.JSON.Title).length;
    // Title holds 128 characters: cut to fit by default, sent whole (for Salesforce to refuse) with trimming off.
    expect([1, 2, 3, 4, 5].map((id) => byJob.get(id)?.statusCode)).to.deep.equal([200, 200, 200, 200, 200]);
    expect([1, 2, 3, 4, 5].map(titleLength)).to.deep.equal([128, 300, 128, 300, 128]);
  });
});
