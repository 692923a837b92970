// Every row of REFERENCE §3, provoked in the emulated org and seen through POST /proxy.
import { expect } from 'chai';
import net from 'node:net';
import type { FaultSpec } from '../../src/emulator/emulator.js';
import { identify, startHarness, type Harness, type ProxyItem } from './harness.js';

const LOOKUP = { method: 'GET', path: 'query' } as const;
const CREATE = { method: 'POST', path: 'composite/sobjects' } as const;

interface Row {
  name: string;
  fault: FaultSpec;
  statusCode: number;
  errorCode: string | RegExp;
  errorText?: string;
}

const html = (status: number, title: string): FaultSpec => ({
  ...LOOKUP,
  kind: 'error',
  status,
  contentType: 'text/html',
  body: `<html><head><title>${title}</title></head><body>down</body></html>`,
});

const rows: Row[] = [
  {
    name: '403 REQUEST_LIMIT_EXCEEDED → 429',
    fault: {
      ...LOOKUP,
      kind: 'error',
      status: 403,
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    },
    statusCode: 429,
    errorCode: 'REQUEST_LIMIT_EXCEEDED',
    errorText: 'TotalRequests Limit exceeded.',
  },
  {
    name: '503 SERVER_UNAVAILABLE → 429',
    fault: { ...LOOKUP, kind: 'error', status: 503, errorCode: 'SERVER_UNAVAILABLE' },
    statusCode: 429,
    errorCode: 'SERVER_UNAVAILABLE',
  },
  {
    name: '429 → 429',
    fault: { ...LOOKUP, kind: 'error', status: 429 },
    statusCode: 429,
    errorCode: 'REQUEST_LIMIT_EXCEEDED',
  },
  {
    name: 'UNABLE_TO_LOCK_ROW (bare, on the write) → 500',
    fault: {
      ...CREATE,
      kind: 'error',
      status: 400,
      errorCode: 'UNABLE_TO_LOCK_ROW',
      message: 'unable to obtain exclusive access to this record',
    },
    statusCode: 500,
    errorCode: 'UNABLE_TO_LOCK_ROW',
  },
  {
    name: 'UNABLE_TO_LOCK_ROW inside CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY → 500',
    fault: {
      ...CREATE,
      kind: 'error',
      status: 400,
      errorCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      message:
        'LeadTrigger: execution of AfterInsert caused by: System.DmlException: Update failed. first error: UNABLE_TO_LOCK_ROW, unable to obtain exclusive access to this record: []',
    },
    statusCode: 500,
    errorCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
    errorText: 'UNABLE_TO_LOCK_ROW',
  },
  {
    name: '"Too many SOQL queries" → 500',
    fault: {
      ...CREATE,
      kind: 'error',
      status: 400,
      errorCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      message: 'LeadTrigger: System.LimitException: Too many SOQL queries: 101',
    },
    statusCode: 500,
    errorCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
    errorText: 'Too many SOQL queries',
  },
  {
    name: '500 → 500',
    fault: {
      ...LOOKUP,
      kind: 'error',
      status: 500,
      errorCode: 'UNKNOWN_EXCEPTION',
      message: 'An unexpected error occurred',
    },
    statusCode: 500,
    errorCode: 'UNKNOWN_EXCEPTION',
  },
  {
    name: '502 with an HTML page → 500',
    fault: { ...LOOKUP, kind: 'error', status: 502 },
    statusCode: 500,
    errorCode: 'HTTP_502',
  },
  {
    name: '503 (other, HTML) → 500',
    fault: html(503, 'Service Unavailable'),
    statusCode: 500,
    errorCode: 'HTTP_503',
    errorText: 'Service Unavailable',
  },
  {
    name: '504 with an HTML page → 500',
    fault: { ...LOOKUP, kind: 'error', status: 504 },
    statusCode: 500,
    errorCode: 'HTTP_504',
  },
  {
    name: 'ECONNRESET (socket destroyed) → 500',
    fault: { ...LOOKUP, kind: 'reset' },
    statusCode: 500,
    errorCode: /^(ECONNRESET|UND_ERR_SOCKET|EPIPE)$/,
  },
  {
    name: 'INVALID_FIELD → 400',
    fault: {
      ...CREATE,
      kind: 'error',
      status: 400,
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Foo__c' on sobject of type Lead",
    },
    statusCode: 400,
    errorCode: 'INVALID_FIELD',
    errorText: "No such column 'Foo__c'",
  },
  {
    name: 'REQUIRED_FIELD_MISSING → 400',
    fault: {
      ...CREATE,
      kind: 'error',
      status: 400,
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Company]',
    },
    statusCode: 400,
    errorCode: 'REQUIRED_FIELD_MISSING',
    errorText: 'Required fields are missing: [Company]',
  },
  {
    name: 'STRING_TOO_LONG → 400',
    fault: {
      ...CREATE,
      kind: 'error',
      status: 400,
      errorCode: 'STRING_TOO_LONG',
      message: 'Company: data value too large',
    },
    statusCode: 400,
    errorCode: 'STRING_TOO_LONG',
  },
  {
    name: 'DUPLICATES_DETECTED → 400',
    fault: {
      ...CREATE,
      kind: 'error',
      status: 400,
      errorCode: 'DUPLICATES_DETECTED',
      message: 'Use one of these records?',
    },
    statusCode: 400,
    errorCode: 'DUPLICATES_DETECTED',
  },
  {
    name: 'MALFORMED_QUERY on the lookup → 400',
    fault: { ...LOOKUP, kind: 'error', status: 400, errorCode: 'MALFORMED_QUERY', message: 'unexpected token' },
    statusCode: 400,
    errorCode: 'MALFORMED_QUERY',
  },
];

function expectOutcome(out: ProxyItem, row: Pick<Row, 'statusCode' | 'errorCode' | 'errorText'>): void {
  expect(out.statusCode, JSON.stringify(out)).to.equal(row.statusCode);
  if (row.errorCode instanceof RegExp) expect(out.errorCode).to.match(row.errorCode);
  else expect(out.errorCode).to.equal(row.errorCode);
  if (row.errorText) expect(out.error).to.contain(row.errorText);
}

describe('e2e faults: REFERENCE §3 through /proxy', function () {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  for (const row of rows) {
    it(`${row.name}; nothing written; a retry delivers exactly once`, async () => {
      h.emulator.state.addFault(row.fault);
      const [out] = await h.deliver([identify({ email: 'fault@example.com', lastName: 'F', company: 'C' })]);
      expectOutcome(out, row);
      expect(out.metadata).to.deep.equal({ jobId: 1 });
      expect(h.records('Lead')).to.have.length(0);
      if (row.statusCode !== 400) {
        const [again] = await h.deliver([identify({ email: 'fault@example.com', lastName: 'F', company: 'C' })]);
        expect(again.statusCode).to.equal(200);
        expect(h.records('Lead')).to.have.length(1);
      }
    });
  }

  it('a per-record error inside a collection answer is classified like a REST one', async () => {
    h.emulator.state.addRecordFault({
      object: 'Lead',
      field: 'Email',
      value: 'locked@example.com',
      statusCode: 'UNABLE_TO_LOCK_ROW',
      message: 'unable to obtain exclusive access to this record',
      times: 1,
    });
    const [out] = await h.deliver([identify({ email: 'locked@example.com' })]);
    expect(out).to.include({ statusCode: 500, errorCode: 'UNABLE_TO_LOCK_ROW' });
  });
});

describe('e2e faults: timeouts, unreachable hosts, expired sessions', function () {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('no answer within PROXY_TIMEOUT_MS → 500 ETIMEDOUT', async () => {
    h = await startHarness({ env: { PROXY_TIMEOUT_MS: '300' } });
    h.emulator.state.addFault({ ...LOOKUP, kind: 'latency', ms: 1500 });
    const started = Date.now();
    const [out] = await h.deliver([identify({ email: 'slow@example.com' })]);
    expect(out).to.include({ statusCode: 500, errorCode: 'ETIMEDOUT' });
    expect(Date.now() - started).to.be.below(1400);
  });

  it('connection refused → 500 ECONNREFUSED', async () => {
    h = await startHarness();
    const port = await closedPort();
    const items = await h.transform([identify({ email: 'refused@example.com' })], { Config: {} });
    items[0].metadata = { jobId: 1, secret: { access_token: 'x', instance_url: `http://127.0.0.1:${port}` } };
    const [out] = await h.proxy(items);
    expect(out).to.deep.include({ statusCode: 500, errorCode: 'ECONNREFUSED', metadata: { jobId: 1 } });
  });

  it('a host that does not resolve → 500 (ENOTFOUND or EAI_AGAIN)', async () => {
    h = await startHarness({
      env: { ALLOWED_SALESFORCE_HOSTS: '127.0.0.1,sf-nowhere.invalid', PROXY_TIMEOUT_MS: '3000' },
    });
    const items = await h.transform([identify({ email: 'dns@example.com' })], { Config: {} });
    items[0].metadata = { jobId: 1, secret: { access_token: 'x', instance_url: 'https://sf-nowhere.invalid' } };
    const [out] = await h.proxy(items);
    expect(out.statusCode).to.equal(500);
    expect(out.errorCode).to.be.oneOf(['ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT']);
  });

  it('username-password session expired → one new login → delivered', async () => {
    h = await startHarness();
    await h.deliver([identify({ email: 'one@example.com' })]);
    expect(h.emulator.state.getStats().tokenRequests).to.equal(1);
    h.emulator.state.expireTokens();
    const [out] = await h.deliver([identify({ email: 'two@example.com' })]);
    expect(out.statusCode, out.error).to.equal(200);
    expect(h.emulator.state.getStats().tokenRequests).to.equal(2);
    expect(h.records('Lead')).to.have.length(2);
  });

  it('expired OAuth token: refreshed once → delivered; 20 concurrent events → one token request', async () => {
    h = await startHarness();
    const harness = h;
    const token = harness.emulator.state.issueToken({ refreshToken: true });
    harness.emulator.state.expireTokens();
    harness.emulator.state.stats.reset();
    const secret = {
      access_token: token.access_token,
      instance_url: token.instance_url,
      refresh_token: token.refresh_token,
    };
    const outs = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const items = await harness.transform([identify({ email: `c${i}@example.com` })], { Config: {} });
        items[0].metadata = { ...(items[0].metadata as object), secret };
        return (await harness.proxy(items))[0];
      }),
    );
    expect(outs.map((o) => o.statusCode)).to.deep.equal(Array(20).fill(200));
    expect(outs.every((o) => !('secret' in o.metadata))).to.equal(true);
    expect(harness.emulator.state.getStats().tokenRequests).to.equal(1);
    expect(harness.records('Lead')).to.have.length(20);
  });

  it('expired OAuth token without a refresh token → 500 REFRESH_TOKEN, nothing written', async () => {
    h = await startHarness();
    const token = h.emulator.state.issueToken({ refreshToken: false });
    h.emulator.state.expireTokens();
    const items = await h.transform([identify({ email: 'norefresh@example.com' })], { Config: {} });
    items[0].metadata = { jobId: 7, secret: { access_token: token.access_token, instance_url: token.instance_url } };
    const [out] = await h.proxy(items);
    expect(out).to.deep.include({ statusCode: 500, authErrorCategory: 'REFRESH_TOKEN', metadata: { jobId: 7 } });
    expect(h.records('Lead')).to.have.length(0);
    expect(h.emulator.state.getStats().tokenRequests).to.equal(0);
  });
});

describe('e2e: a batch where every event meets a different fault', function () {
  it('gives every input item exactly one outcome: nothing lost, nothing doubled', async () => {
    const h = await startHarness();
    try {
      const port = await closedPort();
      const state = h.emulator.state;
      state.seed('Lead', [
        { LastName: 'A', Company: 'A', Email: 'twin@example.com' },
        { LastName: 'B', Company: 'B', Email: 'twin@example.com' },
      ]);
      const perRecord: Array<[string, string, number]> = [
        ['lock@example.com', 'UNABLE_TO_LOCK_ROW', 500],
        ['required@example.com', 'REQUIRED_FIELD_MISSING', 400],
        ['long@example.com', 'STRING_TOO_LONG', 400],
        ['dup@example.com', 'DUPLICATES_DETECTED', 400],
        ['valid@example.com', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 400],
        ['limit@example.com', 'REQUEST_LIMIT_EXCEEDED', 429],
      ];
      for (const [email, statusCode] of perRecord)
        state.addRecordFault({
          object: 'Lead',
          field: 'Email',
          value: email,
          statusCode,
          message: `${statusCode} (injected)`,
        });
      const expiredNoRefresh = state.issueToken({ refreshToken: false });
      const expiredWithRefresh = state.issueToken({ refreshToken: true });
      state.expireTokens();

      const emails = [
        'ok@example.com',
        ...perRecord.map(([e]) => e),
        'twin@example.com',
        'refused@example.com',
        'norefresh@example.com',
        'refreshed@example.com',
        'evil@example.com',
        'nocreds@example.com',
      ];
      const items = await h.transform(emails.map((email) => identify({ email })));
      const byEmail = new Map(emails.map((e, i) => [e, items[i]]));
      byEmail.get('refused@example.com')!.metadata = {
        jobId: 'refused',
        secret: { access_token: 'x', instance_url: `http://127.0.0.1:${port}` },
      };
      byEmail.get('norefresh@example.com')!.metadata = {
        jobId: 'norefresh',
        secret: { access_token: expiredNoRefresh.access_token, instance_url: expiredNoRefresh.instance_url },
      };
      byEmail.get('refreshed@example.com')!.metadata = {
        jobId: 'refreshed',
        secret: {
          access_token: expiredWithRefresh.access_token,
          instance_url: expiredWithRefresh.instance_url,
          refresh_token: expiredWithRefresh.refresh_token,
        },
      };
      byEmail.get('evil@example.com')!.metadata = {
        jobId: 'evil',
        secret: { access_token: 'x', instance_url: 'https://salesforce.com.evil.io' },
      };
      byEmail.get('nocreds@example.com')!.destination = { Config: {} };
      items.forEach((item, i) => {
        if (typeof (item.metadata as { jobId: unknown }).jobId === 'number') item.metadata = { jobId: emails[i] };
      });

      const outs = await h.proxy(items);
      const ids = outs.map((o) => o.metadata.jobId);
      expect(ids).to.deep.equal(items.map((i) => (i.metadata as { jobId: unknown }).jobId));
      expect(new Set(ids).size).to.equal(items.length);

      const status = Object.fromEntries(
        outs.map((o) => [String(o.metadata.jobId), [o.statusCode, o.errorCode ?? o.authErrorCategory ?? '']]),
      );
      expect(status).to.deep.equal({
        'ok@example.com': [200, ''],
        'lock@example.com': [500, 'UNABLE_TO_LOCK_ROW'],
        'required@example.com': [400, 'REQUIRED_FIELD_MISSING'],
        'long@example.com': [400, 'STRING_TOO_LONG'],
        'dup@example.com': [400, 'DUPLICATES_DETECTED'],
        'valid@example.com': [400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION'],
        'limit@example.com': [429, 'REQUEST_LIMIT_EXCEEDED'],
        'twin@example.com': [400, outs.find((o) => o.metadata.jobId === 'twin@example.com')!.errorCode],
        refused: [500, 'ECONNREFUSED'],
        norefresh: [500, 'INVALID_SESSION_ID'],
        refreshed: [200, ''],
        evil: [400, 'HOST_NOT_ALLOWED'],
        'nocreds@example.com': [400, 'NO_CREDENTIALS'],
      });
      expect(status['twin@example.com'][1]).to.match(/^MULTIPLE_/);
      expect(outs.find((o) => o.metadata.jobId === 'norefresh')!.authErrorCategory).to.equal('REFRESH_TOKEN');
      expect(outs.every((o) => !('secret' in o.metadata))).to.equal(true);
      for (const t of [
        expiredNoRefresh.access_token,
        expiredWithRefresh.access_token,
        expiredWithRefresh.refresh_token!,
      ])
        expect(JSON.stringify(outs)).not.to.contain(t);

      // The org holds exactly what was reported delivered: two new leads, the twins untouched.
      const leads = state.list('Lead') as Array<Record<string, unknown>>;
      expect(leads.map((l) => l.Email).sort()).to.deep.equal([
        'ok@example.com',
        'refreshed@example.com',
        'twin@example.com',
        'twin@example.com',
      ]);
      const reported = outs.flatMap((o) => o.results ?? []).filter((r) => r.created);
      expect(reported).to.have.length(2);
    } finally {
      await h.close();
    }
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
