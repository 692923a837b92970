import { expect } from 'chai';
import { isRecordId, sameRecordId, toRecordId18 } from '../../src/salesforce/record-id.js';

/** The checks as they were written before: the reference. */
function referenceIsRecordId(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  if (/^[A-Za-z0-9]{15}$/.test(s)) return true;
  if (!/^[A-Za-z0-9]{18}$/.test(s)) return false;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = s.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'[bits];
  }
  return suffix === s.slice(15);
}

describe('salesforce/record-id', () => {
  it('computes the case-safe suffix (worked by hand)', () => {
    // No uppercase letters anywhere: every chunk is 0 → "AAA".
    expect(toRecordId18('001000000000001')).to.equal('001000000000001AAA');
    // 00Q5g | 00000 | AbCdE → bits 00100=4 "E", 0 "A", 10101=21 "V".
    expect(toRecordId18('00Q5g00000AbCdE')).to.equal('00Q5g00000AbCdEEAV');
    // Bit i belongs to character i of the chunk (so the order matters):
    // 0Q000 → bit 1 → 2 "C"; 00000 → "A"; 000aB → bit 4 → 16 "Q".
    expect(toRecordId18('0Q00000000000aB')).to.equal('0Q00000000000aBCAQ');
    // 0015g → "A"; 00000 → "A"; Ab1cd → bit 0 → 1 "B".
    expect(toRecordId18('0015g00000Ab1cd')).to.equal('0015g00000Ab1cdAAB');
    // All uppercase in the last chunk → 31 → "5".
    expect(toRecordId18('0010000000ABCDE')).to.equal('0010000000ABCDEAA5');
  });

  it('accepts valid 15- and 18-character Ids and round-trips', () => {
    for (const id15 of ['001000000000001', '00Q5g00000AbCdE', '0035g00000ZZzzY']) {
      expect(isRecordId(id15)).to.equal(true);
      const id18 = toRecordId18(id15);
      expect(isRecordId(id18)).to.equal(true);
      expect(toRecordId18(id18)).to.equal(id18);
      expect(id18.slice(0, 15)).to.equal(id15);
      expect(sameRecordId(id15, id18)).to.equal(true);
    }
  });

  it('refuses an 18-character Id whose case does not match its suffix', () => {
    expect(isRecordId('00q5g00000AbCdEEAV')).to.equal(false);
    expect(isRecordId('00Q5g00000abCdEEAV')).to.equal(false);
    expect(isRecordId('001000000000001AAB')).to.equal(false);
    expect(() => toRecordId18('00q5g00000AbCdEEAV')).to.throw(/Invalid/);
  });

  it('refuses wrong lengths and characters', () => {
    for (const bad of ['', '00Q5g00000AbCd', '00Q5g00000AbCdEE', '00Q5g00000AbCd!', '00Q5g00000AbCdEEAVX', 42, null]) {
      expect(isRecordId(bad), String(bad)).to.equal(false);
    }
    expect(sameRecordId('001000000000001', '001000000000002AAA')).to.equal(false);
  });

  // isRecordId reads the Id character by character: it must answer what the regular expressions did.
  const bases = ['003000000000001', '00Q5e00000AbCdE', 'a0B5E00000zZyYx', 'ZZZZZZZZZZZZZZZ', 'zzzzzzzzzzzzzzz'];
  const candidates: unknown[] = [undefined, null, 15, {}, [], '', 'x'];
  for (const base of bases) {
    const full = toRecordId18(base);
    candidates.push(base, full, base.toLowerCase(), full.toLowerCase(), full.toUpperCase());
    for (let i = 0; i < 18; i++) {
      // every position changed: case flipped, a digit, a character that is not alphanumeric
      const flip = full[i] === full[i].toUpperCase() ? full[i].toLowerCase() : full[i].toUpperCase();
      for (const c of [flip, '0', '9', 'a', 'Z', '-', ' ', 'é', '０', '\n', '_'])
        candidates.push(full.slice(0, i) + c + full.slice(i + 1));
    }
    for (const n of [14, 16, 17, 19]) candidates.push(`${full}${full}`.slice(0, n));
    candidates.push(`${base}\n`, `${full}\n`, ` ${base}`, `${full} `);
  }

  it('isRecordId answers what the regular expressions answered', () => {
    let valid = 0;
    for (const c of candidates) {
      const expected = referenceIsRecordId(c);
      expect(isRecordId(c), JSON.stringify(c)).to.equal(expected);
      if (expected) valid++;
    }
    expect(valid, 'valid candidates').to.be.within(10, candidates.length - 100);
  });
});
