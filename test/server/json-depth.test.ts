// The depth check done on the raw bytes while a body is read must agree with a walk of the parsed
// value, including where strings hold brackets, quotes and backslashes.
import { expect } from 'chai';
import { MAX_DEPTH, nestsDeeper, tooDeep } from '../../src/server/json-body.js';

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
    });
  }
  it('the boundary cases really straddle the limit', () => {
    expect(nestsDeeper(Buffer.from(`[${nest(MAX_DEPTH - 1, '1')}]`), MAX_DEPTH)).to.equal(false);
    expect(nestsDeeper(Buffer.from(`[${nest(MAX_DEPTH, '1')}]`), MAX_DEPTH)).to.equal(true);
  });
});
