// A JSON answer serialised once and sent with one write: one JSON.stringify (V8's native
// serialiser — fast-json-stringify compiled from the operation schema was measured slower on these
// answers, whose field maps have open keys), one UTF-8 encoding, an exact Content-Length.
import type { Response } from 'express';

export function sendJson(res: Response, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}
