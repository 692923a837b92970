// A deliberately tiny stand-in for Salesforce's token endpoint and one REST resource, so the auth
// and client tests see exactly what went over the wire (token requests, bodies, headers).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSalesforce {
  url: string;
  tokenRequests: Array<{ contentType: string; query: string; form: URLSearchParams }>;
  restRequests: Array<{ method: string; path: string; authorization: string; body: string }>;
  /** Tokens the REST resource accepts; anything else gets 401 INVALID_SESSION_ID. */
  validTokens: Set<string>;
  /** Next answer of the REST resource (status, content-type, body), or a socket destroy. */
  answer: { status: number; contentType?: string; body: string } | 'destroy' | 'hang';
  tokenAnswer?: { status: number; body: string };
  tokenDelayMs: number;
  close(): Promise<void>;
}

export async function startFakeSalesforce(): Promise<FakeSalesforce> {
  let n = 0;
  const fake = {
    url: '',
    tokenRequests: [],
    restRequests: [],
    validTokens: new Set<string>(),
    answer: { status: 200, contentType: 'application/json', body: '{"ok":true}' },
    tokenDelayMs: 20,
  } as unknown as FakeSalesforce;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/services/oauth2/token') {
        fake.tokenRequests.push({
          contentType: req.headers['content-type'] ?? '',
          query: u.search,
          form: new URLSearchParams(body),
        });
        setTimeout(() => {
          if (fake.tokenAnswer) {
            res.writeHead(fake.tokenAnswer.status, { 'content-type': 'application/json' }).end(fake.tokenAnswer.body);
            return;
          }
          const token = `tok-${++n}`;
          fake.validTokens.add(token);
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              access_token: token,
              instance_url: fake.url,
              token_type: 'Bearer',
              id: 'x',
              issued_at: '1',
              signature: 's',
            }),
          );
        }, fake.tokenDelayMs);
        return;
      }
      fake.restRequests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization ?? '',
        body,
      });
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!fake.validTokens.has(token)) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(JSON.stringify([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]));
        return;
      }
      const a = fake.answer;
      if (a === 'destroy') {
        req.socket.destroy();
        return;
      }
      if (a === 'hang') return;
      res.writeHead(a.status, a.contentType ? { 'content-type': a.contentType } : {}).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
