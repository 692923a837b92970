// The depth checks — on the raw bytes while a large body is read, by a walk of the parsed value for
// the others — must agree with tooDeep's walk, including where strings hold brackets, quotes and
// backslashes; over HTTP a deep body is refused the same way whichever check saw it.
import { expect } from 'chai';
import request from 'supertest';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { MAX_DEPTH, nestsDeeper, nestsTooDeep, tooDeep } from '../../src/server/json-body.js';

const nest = (levels: number, leaf: string) => '{"a":'.repeat(levels) + leaf + '}'.repeat(levels);

describe('body depth on the raw bytes (nestsDeeper)', () => {
  const cases: [string, string][] = [
    ['exactly the limit', `[${nest(MAX_DEPTH - 1, '1')}]`],
    ['one level over', `[${nest(MAX_DEPTH, '1')}]`],
    ['over, in an array', `[${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}]`],
    ['brackets inside strings do not count', `[${nest(MAX_DEPTH - 1, JSON.stringify('[[[[{{{{'.repeat(40)))}]`],
    [
      'an escaped quote does not end a string',
      `[${nest(MAX_DEPTH - 1, JSON.stringify('say \\"[[[[[[[[" and [[[[['.repeat(30)))}]`,
    ],
    ['a string ending in a backslash', `[${nest(3, JSON.stringify('C:\\'))}, ${nest(MAX_DEPTH, '2')}]`],
    ['unicode around', `[{"é":"ü\\u0022[","k":${nest(MAX_DEPTH - 2, '"🙂"')}}]`],
    ['flat and wide', JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ a: [i, { b: 'x' }] })))],
  ];
  for (const [name, text] of cases) {
    it(`${name}: same answer as walking the parsed body`, () => {
      const walked = tooDeep(JSON.parse(text) as unknown) !== undefined;
      expect(nestsDeeper(Buffer.from(text, 'utf8'), MAX_DEPTH)).to.equal(walked);
      expect(nestsTooDeep(JSON.parse(text), MAX_DEPTH)).to.equal(walked);
    });
  }
  it('the boundary cases really straddle the limit', () => {
    expect(nestsDeeper(Buffer.from(`[${nest(MAX_DEPTH - 1, '1')}]`), MAX_DEPTH)).to.equal(false);
    expect(nestsDeeper(Buffer.from(`[${nest(MAX_DEPTH, '1')}]`), MAX_DEPTH)).to.equal(true);
  });
});

describe('body depth on the parsed value (nestsTooDeep)', () => {
  const nestIn = (levels: number, open: string, close: string, leaf: string) =>
    open.repeat(levels) + leaf + close.repeat(levels);
  const values: [string, unknown][] = [
    ['a scalar', 5],
    ['null', null],
    ['an empty array', []],
    ['an empty object', {}],
    ['a __proto__ key holding the deep part', JSON.parse(`{"__proto__":${nestIn(MAX_DEPTH, '[', ']', '1')}}`)],
    ['a __proto__ key, not deep', JSON.parse(`{"__proto__":${nestIn(MAX_DEPTH - 1, '[', ']', '1')}}`)],
    ['deep after wide siblings', JSON.parse(`[1,"x",{},[],${nestIn(MAX_DEPTH, '{"k":', '}', 'null')}]`)],
    ['deep in the last key only', JSON.parse(`{"a":1,"b":[2],"c":${nestIn(MAX_DEPTH, '[', ']', '{}')}}`)],
    ['empty containers at the limit', JSON.parse(nestIn(MAX_DEPTH - 1, '[', ']', '[]'))],
    ['empty containers one over', JSON.parse(nestIn(MAX_DEPTH, '[', ']', '{}'))],
    ['arrays and objects taking turns, at the limit', JSON.parse(nestIn(MAX_DEPTH / 2, '[{"a":', '}]', '0'))],
    ['arrays and objects taking turns, one over', JSON.parse(`[${nestIn(MAX_DEPTH / 2, '[{"a":', '}]', '0')}]`)],
  ];
  for (let levels = MAX_DEPTH - 3; levels <= MAX_DEPTH + 3; levels++) {
    values.push([`objects ${levels} deep`, JSON.parse(nestIn(levels, '{"a":', '}', '"x"'))]);
    values.push([`arrays ${levels} deep`, JSON.parse(nestIn(levels, '[', ']', '"x"'))]);
  }
  it('answers what tooDeep answers, on either side of the limit', () => {
    let over = 0;
    for (const [name, value] of values) {
      const expected = tooDeep(value) !== undefined;
      expect(nestsTooDeep(value, MAX_DEPTH), name).to.equal(expected);
      if (expected) over++;
    }
    expect(over, 'cases over the limit').to.be.within(5, values.length - 5);
  });
});

describe('server: deep bodies refused after parsing, as they were before it', () => {
  const store = new MappingStore();
  store.load();
  const { app } = createApp({ store, logger: createLogger('silent'), bodyLimit: 8 * 1024 * 1024 });
  // traits is at level 3, so `levels` objects under traits.a reach level 3 + levels.
  const deepItem = (levels: number, pad = 0) =>
    `[{"message":{"type":"identify","traits":{"pad":"${'x'.repeat(pad)}","a":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}}}]`;
  const over = MAX_DEPTH - 3;
  const post = (body: string) => request(app).post('/transform').set('content-type', 'application/json').send(body);

  for (const [what, pad] of [
    ['a small body', 0],
    ['a 300 kB body', 300 * 1024],
  ] as const) {
    it(`${what}: 400 TOO_DEEP naming the place; one level less is mapped`, async () => {
      const deep = await post(deepItem(over, pad));
      expect(deep.status).to.equal(400);
      expect(deep.body.error.code).to.equal('TOO_DEEP');
      expect(deep.body.error.message).to.equal(
        `request body nests deeper than ${MAX_DEPTH} levels at [0].message.traits${'.a'.repeat(over)}`,
      );
      const fits = await post(deepItem(over - 1, pad));
      expect(fits.status).to.equal(200);
      expect(fits.body[0].statusCode).to.be.a('number');
    });
    it(`${what}: deep and not JSON is refused for its depth; shallow and not JSON as not JSON`, async () => {
      const res = await post(deepItem(over, pad).slice(0, -1));
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('TOO_DEEP');
      expect(res.body.error.message).to.equal(`request body nests deeper than ${MAX_DEPTH} levels`);
      const shallow = await post(deepItem(2, pad).slice(0, -1));
      expect(shallow.status).to.equal(400);
      expect(shallow.body.error.code).to.equal('INVALID_JSON');
    });
  }

  it('1 MB of nested brackets blows no stack: refused, and the next request is served', async () => {
    const half = 512 * 1024;
    const res = await post('['.repeat(half) + ']'.repeat(half));
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('TOO_DEEP');
    expect(res.body.error.message).to.match(/ at \[0\]\[0\]/);
    const after = await post(deepItem(2));
    expect(after.status).to.equal(200);
  });
});
