import { expect } from 'chai';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { Client, useEmulator, V } from './client.js';

describe('emulator: fault injection and the API call counter', () => {
  let emulator: RunningEmulator;
  let sf: Client;
  useEmulator((e, c) => {
    emulator = e;
    sf = c;
  });

  const create = (): Promise<{ status: number; body: any; text: string }> =>
    sf.call('POST', `${V}/sobjects/Lead`, { LastName: 'L', Company: 'C' });

  it('error faults answer the next N matching calls with status + errorCode, then normal service resumes', async () => {
    for (const [status, errorCode] of [
      [503, 'SERVER_UNAVAILABLE'],
      [403, 'REQUEST_LIMIT_EXCEEDED'],
      [400, 'UNABLE_TO_LOCK_ROW'],
      [500, 'UNKNOWN_EXCEPTION'],
      [429, 'REQUEST_LIMIT_EXCEEDED'],
    ] as const) {
      emulator.state.addFault({ kind: 'error', method: 'POST', path: 'sobjects/Lead', status, errorCode, times: 2 });
      for (let i = 0; i < 2; i++) {
        const r = await create();
        expect(r.status).to.equal(status);
        expect(r.body).to.deep.equal([{ message: `${errorCode} (injected fault)`, errorCode }]);
      }
      expect((await create()).status).to.equal(201);
    }
    expect(emulator.state.list('Lead')).to.have.length(5);
  });

  it('faults match by method and by prefix or regex; unrelated calls pass', async () => {
    emulator.state.addFault({ kind: 'error', method: 'GET', pathRegex: /\/query$/, status: 503 });
    expect((await create()).status).to.equal(201);
    expect((await sf.query('SELECT Id FROM Lead')).status).to.equal(503);
    expect((await sf.query('SELECT Id FROM Lead')).status).to.equal(200);
    // Over HTTP: the admin endpoint takes the same spec (regex as text).
    const admin = await fetch(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'error', path: `${V}/composite`, status: 502 }),
    });
    expect(admin.status).to.equal(201);
    const r = await sf.call('POST', `${V}/composite/sobjects`, { records: [] });
    expect(r.status).to.equal(502);
    expect(r.text).to.match(/<html>/i);
  });

  it("504 with an HTML body, as Salesforce's front end sends it", async () => {
    emulator.state.addFault({ kind: 'error', status: 504 });
    const r = await create();
    expect(r.status).to.equal(504);
    expect(r.body).to.equal(undefined);
    expect(r.text).to.contain('<!DOCTYPE html>');
  });

  it('latency delays the answer but the call succeeds', async () => {
    emulator.state.addFault({ kind: 'latency', ms: 150 });
    const started = Date.now();
    expect((await create()).status).to.equal(201);
    expect(Date.now() - started).to.be.at.least(140);
  });

  it('reset destroys the connection: the client sees ECONNRESET', async () => {
    emulator.state.addFault({ kind: 'reset', path: 'sobjects' });
    let code: string | undefined;
    try {
      await create();
    } catch (e) {
      code = (e as Error & { cause?: { code?: string } }).cause?.code;
    }
    expect(code).to.equal('ECONNRESET');
    expect(emulator.state.list('Lead')).to.have.length(0);
    expect((await create()).status).to.equal(201);
  });

  it('expireTokens: the call gets 401 INVALID_SESSION_ID, and so does every later call with that token', async () => {
    emulator.state.addFault({ kind: 'expireTokens' });
    for (let i = 0; i < 2; i++) {
      const r = await create();
      expect(r.status).to.equal(401);
      expect(r.body).to.deep.equal([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
    sf.token = emulator.state.issueToken().access_token;
    expect((await create()).status).to.equal(201);
  });

  it('per-record faults fail only the matching records, in single REST and collections', async () => {
    for (const statusCode of [
      'STRING_TOO_LONG',
      'UNABLE_TO_LOCK_ROW',
      'DUPLICATES_DETECTED',
      'REQUIRED_FIELD_MISSING',
    ]) {
      emulator.state.reset();
      await fetch(`${emulator.url}/__emulator/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ kind: 'record', field: 'Email', value: 'x@y', statusCode }),
      });
      const single = await sf.call('POST', `${V}/sobjects/Lead`, { LastName: 'L', Company: 'C', Email: 'X@Y' });
      expect(single.status).to.equal(400);
      expect(single.body[0].errorCode).to.equal(statusCode);
      const r = await sf.call('POST', `${V}/composite/sobjects`, {
        records: [
          { attributes: { type: 'Lead' }, LastName: 'L', Company: 'C', Email: 'x@y' },
          { attributes: { type: 'Lead' }, LastName: 'L', Company: 'C', Email: 'ok@y' },
        ],
      });
      expect(r.body.map((x: { success: boolean }) => x.success)).to.deep.equal([false, true]);
      expect(r.body[0].errors[0].statusCode).to.equal(statusCode);
    }
  });

  it('counts one API call per authenticated request, token requests apart, admin and injected faults not at all', async () => {
    emulator.state.reset();
    await create();
    await create();
    await sf.query('SELECT Id FROM Lead');
    await sf.call('POST', `${V}/composite/sobjects`, {
      records: Array.from({ length: 200 }, () => ({ attributes: { type: 'Lead' }, LastName: 'L', Company: 'C' })),
    });
    await sf.call('GET', `${V}/sobjects/Lead/${'0'.repeat(3)}`); // a 400 still counts
    await fetch(`${emulator.url}${V}/sobjects`); // no token: not counted
    await fetch(`${emulator.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&username=admin%40example.com&password=passTOKEN&client_id=emulator-client&client_secret=emulator-secret',
    });
    emulator.state.addFault({ kind: 'error', status: 503 });
    await create();
    await fetch(`${emulator.url}/__emulator/records/Lead`);
    const stats = (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as Record<string, any>;
    expect(stats).to.deep.equal({
      apiCalls: 5,
      tokenRequests: 1,
      faultsInjected: 1,
      byPath: { 'POST sobjects/Lead': 2, 'GET query': 1, 'POST composite/sobjects': 1, 'GET sobjects/Lead/:id': 1 },
    });
    expect(emulator.state.list('Lead')).to.have.length(202);
  });
});
