import { expect } from 'chai';
import { buildSelect, encodedQueryLength, soqlLiteral } from '../../src/salesforce/soql.js';
import { loadObjectCatalog } from '../../src/salesforce/object-catalog.js';

/** Splits SOQL into its string literals by reading it the way Salesforce does (honouring escapes). */
function stringLiterals(soql: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < soql.length) {
    if (soql[i] !== "'") {
      i++;
      continue;
    }
    let j = i + 1;
    let text = '';
    for (;;) {
      if (j >= soql.length) throw new Error(`unterminated literal in ${soql}`);
      const c = soql[j];
      if (c === '\\') {
        const e = soql[j + 1];
        text += ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e;
        j += 2;
      } else if (c === "'") {
        break;
      } else {
        text += c;
        j++;
      }
    }
    out.push(text);
    i = j + 1;
  }
  return out;
}

describe('salesforce/soql', () => {
  const lead = loadObjectCatalog().get('Lead')!;

  describe('soqlLiteral', () => {
    it('escapes quote, backslash, double quote and control characters inside the quotes', () => {
      expect(soqlLiteral("a'b@x.com")).to.equal("'a\\'b@x.com'");
      expect(soqlLiteral('back\\slash')).to.equal("'back\\\\slash'");
      expect(soqlLiteral('say "hi"')).to.equal('\'say \\"hi\\"\'');
      expect(soqlLiteral('line1\nline2\r\ttab\bback\fform')).to.equal("'line1\\nline2\\r\\ttab\\bback\\fform'");
      // A backslash before a quote must not be able to un-escape that quote.
      expect(soqlLiteral("\\'")).to.equal("'\\\\\\''");
    });

    it('round-trips every escaped value through a Salesforce-style reader', () => {
      for (const v of ["x' OR Name != '", "\\'; DELETE", 'é😀\n"\'\\', "''''", '\\\\\\']) {
        expect(stringLiterals(soqlLiteral(v))).to.deep.equal([v]);
      }
    });

    it('writes numbers and booleans bare, refuses non-finite numbers, null is null', () => {
      expect(soqlLiteral(42)).to.equal('42');
      expect(soqlLiteral(-1.5)).to.equal('-1.5');
      expect(soqlLiteral(1e21)).to.equal('1000000000000000000000');
      expect(soqlLiteral(1e-7)).to.equal('0.0000001');
      expect(soqlLiteral(true)).to.equal('true');
      expect(soqlLiteral(null)).to.equal('null');
      expect(() => soqlLiteral(NaN)).to.throw(/finite/);
      expect(() => soqlLiteral(Infinity)).to.throw(/finite/);
    });

    it('shapes literals by field type', () => {
      expect(soqlLiteral('2024-03-01', 'date')).to.equal('2024-03-01');
      expect(soqlLiteral('2024-03-01T10:00:00Z', 'datetime')).to.equal('2024-03-01T10:00:00Z');
      expect(soqlLiteral('2024-03-01T10:00:00.123+02:00', 'datetime')).to.equal('2024-03-01T10:00:00.123+02:00');
      expect(() => soqlLiteral("2024-03-01' OR Id != '", 'date')).to.throw(/date/);
      expect(() => soqlLiteral('2024-03-01', 'datetime')).to.throw(/datetime/);
      expect(soqlLiteral('42', 'int')).to.equal('42');
      expect(() => soqlLiteral('42 OR 1=1', 'currency')).to.throw(/number/);
      expect(soqlLiteral('true', 'boolean')).to.equal('true');
      expect(() => soqlLiteral('yes', 'boolean')).to.throw(/boolean/);
      // A text field compared with a number still needs a string literal.
      expect(soqlLiteral(813, 'string')).to.equal("'813'");
      expect(soqlLiteral(false, 'email')).to.equal("'false'");
    });
  });

  describe('buildSelect', () => {
    it('builds the classic lead lookup with an escaped email', () => {
      const q = buildSelect({
        object: 'Lead',
        fields: ['Id', 'IsConverted'],
        where: { operator: 'AND', conditions: [{ field: 'Email', value: "a'b@x.com" }] },
        limit: 2,
      });
      expect(q).to.equal("SELECT Id, IsConverted FROM Lead WHERE Email = 'a\\'b@x.com' LIMIT 2");
    });

    it('keeps an injection attempt inside its literal', () => {
      const q = buildSelect({
        object: 'Lead',
        fields: ['Id'],
        where: { operator: 'OR', conditions: [{ field: 'Email', value: "x' OR Name != '" }] },
      });
      expect(q).to.equal("SELECT Id FROM Lead WHERE Email = 'x\\' OR Name != \\''");
      expect(stringLiterals(q)).to.deep.equal(["x' OR Name != '"]);
      // Outside the literal only our own text remains.
      expect(q.slice(0, q.indexOf("'"))).to.equal('SELECT Id FROM Lead WHERE Email = ');
    });

    it('joins conditions, writes null as = null and IN lists', () => {
      const q = buildSelect({
        object: 'Contact',
        fields: ['Id', 'Email', 'id'],
        where: {
          operator: 'OR',
          conditions: [
            { field: 'Email', value: 'a@x.com' },
            { field: 'UserId__c', value: null },
            { field: 'Email', in: ['b@x.com', "c'@x.com"] },
          ],
        },
      });
      expect(q).to.equal(
        "SELECT Id, Email FROM Contact WHERE Email = 'a@x.com' OR UserId__c = null OR Email IN ('b@x.com', 'c\\'@x.com')",
      );
    });

    it('uses field types from metadata when given', () => {
      const q = buildSelect({
        object: 'Lead',
        fields: ['Id'],
        meta: lead,
        where: {
          operator: 'AND',
          conditions: [
            { field: 'NumberOfEmployees', value: '12' },
            { field: 'IsConverted', value: 'false' },
          ],
        },
      });
      expect(q).to.equal('SELECT Id FROM Lead WHERE NumberOfEmployees = 12 AND IsConverted = false');
    });

    it("a value the field's type cannot take is refused naming the field, in = and IN alike", () => {
      const where = (condition: { field: string; value: string } | { field: string; in: string[] }) => () =>
        buildSelect({ object: 'Lead', fields: ['Id'], meta: lead, where: { operator: 'OR', conditions: [condition] } });
      expect(where({ field: 'NumberOfEmployees', value: 'many' })).to.throw(
        'Invalid int value "many" for NumberOfEmployees in SOQL: expected a number',
      );
      expect(where({ field: 'ConvertedDate', in: ['2024-01-01', 'soon'] })).to.throw(
        'Invalid date value "soon" for ConvertedDate in SOQL: expected yyyy-MM-dd',
      );
      expect(where({ field: 'IsConverted', value: 'maybe' })).to.throw(
        'Invalid boolean value "maybe" for IsConverted in SOQL: expected true or false',
      );
    });

    it('refuses bad names, empty conditions, empty IN lists and bad limits', () => {
      const base = { object: 'Lead', fields: ['Id'] };
      expect(() => buildSelect({ ...base, object: 'Lead WHERE' })).to.throw(/object name/);
      expect(() => buildSelect({ ...base, fields: ['Id, Name'] })).to.throw(/field name/);
      expect(() =>
        buildSelect({ ...base, where: { operator: 'AND', conditions: [{ field: 'Email; DROP', value: 'x' }] } }),
      ).to.throw(/field name/);
      expect(() => buildSelect({ ...base, where: { operator: 'AND', conditions: [] } })).to.throw(
        /at least one condition/,
      );
      expect(() =>
        buildSelect({ ...base, where: { operator: 'AND', conditions: [{ field: 'Email', in: [] }] } }),
      ).to.throw(/at least one value/);
      expect(() =>
        buildSelect({ ...base, where: { operator: 'XOR' as 'AND', conditions: [{ field: 'Email', value: 'x' }] } }),
      ).to.throw(/operator/);
      expect(() => buildSelect({ ...base, limit: 0 })).to.throw(/LIMIT/);
      expect(() => buildSelect({ ...base, limit: 1.5 })).to.throw(/LIMIT/);
    });
  });

  describe('encodedQueryLength', () => {
    it('counts quotes as fetch sends them (%27), not as encodeURIComponent leaves them', () => {
      const q = "SELECT Id FROM Lead WHERE Email = 'o\\'b@x.com'";
      expect(encodedQueryLength(q)).to.equal(new URL(`https://h/q?q=${encodeURIComponent(q)}`).search.length - 3);
    });
  });
});
