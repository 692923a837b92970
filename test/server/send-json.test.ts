// sendJson encodes ASCII answers in one pass: its bytes must be exactly the UTF-8 bytes of the
// JSON text whatever the answer holds, with a Content-Length that counts them.
import { expect } from 'chai';
import type { Response } from 'express';
import { sendJson } from '../../src/server/send-json.js';

function sent(value: unknown): { headers: Record<string, unknown>; body: Buffer } {
  const out: { headers: Record<string, unknown>; body: Buffer } = { headers: {}, body: Buffer.alloc(0) };
  const res = {
    writeHead(_status: number, headers: Record<string, unknown>) {
      out.headers = headers;
    },
    end(body: Buffer) {
      out.body = body;
    },
  };
  sendJson(res as unknown as Response, 200, value);
  return out;
}

describe('sendJson: the bytes of the answer', () => {
  const values: [string, unknown][] = [
    ['ASCII', { fields: { Email: 'a@example.com', n: 120, ok: true } }],
    ['Latin-1 letters', { Name: 'Zoë Ångström', City: 'Malmö' }],
    ['beyond Latin-1', { Name: '李小龍', Note: 'Ω → ∞' }],
    // Each one's low byte is an ASCII letter: a Latin-1 copy would turn them into 'QA'.
    ['beyond Latin-1, low bytes ASCII', { Name: 'őŁ' }],
    ['astral characters', { Emoji: '🚀🎉' }],
    ['a lone surrogate (escaped by JSON.stringify)', { Bad: 'x\ud800y' }],
    ['control characters and quotes', { s: '\u0000\u001f"\\\n' }],
    ['the byte 0x7f and 0x80', { s: '\u007f\u0080' }],
    ['empty', []],
  ];
  for (const [name, value] of values) {
    it(`${name}: UTF-8 of JSON.stringify, exact Content-Length`, () => {
      const { headers, body } = sent(value);
      const expected = Buffer.from(JSON.stringify(value), 'utf8');
      expect(body.equals(expected)).to.equal(true);
      expect(headers['content-length']).to.equal(expected.length);
      expect(JSON.parse(body.toString('utf8'))).to.deep.equal(JSON.parse(JSON.stringify(value)));
    });
  }
});
