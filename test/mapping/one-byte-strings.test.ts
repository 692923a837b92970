// Values read from mapping files are re-made in V8's one-byte form where Latin-1 holds them: the
// text must come out exactly the same, keys included, and an own `__proto__` key must stay one.
import { expect } from 'chai';
import { parseDocument } from 'yaml';
import { oneByteStrings } from '../../src/mapping/one-byte-strings.js';

describe('mapping values in one-byte form', () => {
  const texts = [
    '',
    'lead',
    'Lead',
    "'n/a'",
    'café',
    'ÿ',
    '\u0000',
    'identify → Lead',
    '😀',
    'Ł',
    'a\u0100b',
    '\u2028',
  ];

  it('keeps every string, key and value, as the same text', () => {
    // As a two-byte file gives them: cut from a text that also holds a character beyond Latin-1.
    const yaml = `# → a two-byte file\n${texts.map((t, i) => `k${i}${JSON.stringify(t)}: ${JSON.stringify(t)}`).join('\n')}\nlist: [${texts.map((t) => JSON.stringify(t)).join(', ')}]\nnested: {a: [1, true, null, {b: "x"}], n: 2.5}\n`;
    const original = parseDocument(yaml).toJS() as Record<string, unknown>;
    const made = oneByteStrings(original) as Record<string, unknown>;
    expect(made).to.deep.equal(original);
    expect(Object.keys(made)).to.deep.equal(Object.keys(original));
    expect(made).to.not.equal(original);
  });

  it('an own __proto__ key stays an own key, and nothing reaches a prototype', () => {
    const original = parseDocument('fields:\n  __proto__: {polluted: yes}\n  Email: $traits.email\n').toJS() as {
      fields: Record<string, unknown>;
    };
    expect(Object.hasOwn(original.fields, '__proto__')).to.equal(true);
    const made = oneByteStrings(original) as { fields: Record<string, unknown> };
    expect(Object.getPrototypeOf(made.fields)).to.equal(Object.prototype);
    expect(Object.hasOwn(made.fields, '__proto__')).to.equal(true);
    expect(Object.entries(made.fields)).to.deep.equal(Object.entries(original.fields));
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('leaves scalars and objects that are not plain as they are', () => {
    const date = new Date(0);
    const map = new Map([['a', 'b']]);
    for (const v of [0, -1.5, true, false, null, undefined, date, map]) expect(oneByteStrings(v)).to.equal(v);
  });
});
