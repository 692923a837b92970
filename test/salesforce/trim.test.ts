import { expect } from 'chai';
import { trimToLength } from '../../src/salesforce/trim.js';

/** Characters as Salesforce counts them: code points (a lone surrogate is one). */
const codePointLength = (s: string): number => [...s].length;

/** No lone surrogate anywhere (String.prototype.isWellFormed, which our ES2022 lib lacks). */
function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

describe('salesforce/trim', () => {
  it('leaves strings that fit untouched', () => {
    expect(trimToLength('Lovelace', 80)).to.equal('Lovelace');
    expect(trimToLength('', 0)).to.equal('');
    // 40 characters but 41 UTF-16 units: fits as Salesforce counts.
    const s = 'a'.repeat(39) + '😀';
    expect(trimToLength(s, 40)).to.equal(s);
  });

  it('keeps an emoji whole when it is the last character that fits', () => {
    const s = 'a'.repeat(39) + '😀' + 'b';
    const t = trimToLength(s, 40);
    expect(t).to.equal('a'.repeat(39) + '😀');
    expect(codePointLength(t)).to.equal(40);
  });

  it('drops an emoji whole when it does not fit, never half a surrogate pair', () => {
    const t = trimToLength('a'.repeat(40) + '😀', 40);
    expect(t).to.equal('a'.repeat(40));
    expect(isWellFormed(t)).to.equal(true);
    const u = trimToLength('😀😀😀', 2);
    expect(u).to.equal('😀😀');
    expect(isWellFormed(u)).to.equal(true);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(codePointLength('😀é中')).to.equal(3);
    expect(trimToLength('😀'.repeat(50), 40)).to.equal('😀'.repeat(40));
    expect(trimToLength('Ünïcødé — long text', 7)).to.equal('Ünïcødé');
    expect(trimToLength('abc', 0)).to.equal('');
  });

  it('the well-formedness check itself catches a split pair', () => {
    expect(isWellFormed('a😀')).to.equal(true);
    expect(isWellFormed('a😀'.slice(0, 2))).to.equal(false);
  });

  it('counts a lone surrogate as one character', () => {
    expect(codePointLength('a\uD800b')).to.equal(3);
    expect(trimToLength('a\uD800bc', 2)).to.equal('a\uD800');
  });

  it('refuses a nonsensical maximum', () => {
    expect(() => trimToLength('abc', -1)).to.throw(/maximum length/);
    expect(() => trimToLength('abc', 1.5)).to.throw(/maximum length/);
  });
});
