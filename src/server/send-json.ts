// A JSON answer serialised once and sent with one write: one JSON.stringify (V8's native
// serialiser — fast-json-stringify compiled from the operation schema was measured slower on these
// answers, whose field maps have open keys), one encoding to bytes, an exact Content-Length.
import type { Response } from 'express';

const encoder = new TextEncoder();

export function sendJson(res: Response, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  // Most answers are ASCII (every UTF-16 unit one UTF-8 byte). encodeInto a buffer of one byte per
  // unit encodes them in one pass: it reads every unit only when each took one byte. Anything else
  // is encoded again, whole. (Counting the UTF-8 bytes first, then copying, read the text twice:
  // ~1 µs more per Lead item.)
  const ascii = Buffer.allocUnsafe(text.length);
  const body = encoder.encodeInto(text, ascii).read === text.length ? ascii : Buffer.from(text, 'utf8');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}
