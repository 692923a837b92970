// A fast-path expression compiled to one generated function must give exactly what the closures
// give (the same values, and NEEDS_JSONATA in the same cases), and no path name may run as code.
import { expect } from 'chai';
import { compileExpression, NEEDS_JSONATA, type Scope } from '../../src/mapping/expression.js';

const sources = [
  '$traits.email',
  '$traits.address.city',
  // An array in the middle of a path needs JSONata, wherever the path sits.
  '$lowercase($traits.address.city) = "paris"',
  '$not($traits.address.city)',
  '$traits.address.city & "x"',
  '$traits.address.city ? 1 : 2',
  '$exists($traits.address.city) and true',
  '$traits.address.city > "a" or false',
  '$coalesce($traits.address.city, $traits.city)',
  '$coalesce($traits.company.name, $traits.company)',
  '$coalesce($traits.firstName, $firstWord($traits.name))',
  '$coalesce($traits.x, $traits.empty, $traits.flag, 0, "last")',
  'type = "identify"',
  'type != "identify"',
  'type = "identify" and $not($isTrue(context.mappedToDestination))',
  'type = "identify" and $not($isTrue(context.mappedToDestination)) and $not($hasExternalId(context.externalId, "Salesforce-"))',
  '$isTrue(context.mappedToDestination) and type != "record"',
  '$settings.requireIntegrationFlag and type != "record" and $not($boolean(integrations.Salesforce) or $boolean(integrations.`Salesforce (Actions)`))',
  '$not(type = "group") or groupId = 813',
  '$settings.mapProperties = false',
  '$settings.useContactId ? $traits.address.city',
  '$settings.useContactId ? "yes" : "no"',
  '($traits.n > 3) ? "big" : ($traits.n <= 3 ? "small" : "none")',
  '$traits.n < $traits.m',
  '$traits.n >= 2',
  '$traits.email = $traits.other',
  '$traits.tags = "x"',
  'userId & "-" & type & $traits.n & $traits.flag',
  '$exists($traits.email) and $lowercase($traits.email) = "ada@example.com"',
  '$dateOnly($traits.birthday)',
  '$trim($uppercase($traits.name))',
  '$multiPick($traits.tags)',
  '$traits.constructor',
  '$traits.toString',
  '$constructor.x',
  '$traits.`odd "name"\\`',
  '$traits.`x"]; globalThis.pwned = true; //`',
  "'n/a'",
  '42',
  'true',
  'null',
  '$traits',
  'context.traits.email',
];

const values: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'Ada King',
  0,
  3,
  4.5,
  true,
  false,
  [],
  ['x', 'y'],
  [{ a: 1 }],
  {},
  { city: 'Paris' },
];

function scopes(): Scope[] {
  const out: Scope[] = [];
  for (const a of values)
    for (const b of values) {
      out.push({
        input: {
          type: typeof a === 'string' && a !== '' ? 'identify' : a,
          userId: b,
          groupId: a === 3 ? 813 : a,
          integrations: { Salesforce: a, 'Salesforce (Actions)': b },
          context: {
            mappedToDestination: b,
            externalId: a === 'x' ? [{ type: 'Salesforce-Contact' }] : b,
            traits: { email: a },
          },
        },
        vars: {
          traits: {
            email: a,
            other: b,
            address: b,
            city: a,
            company: b,
            name: a,
            firstName: b,
            empty: '',
            flag: b,
            tags: b,
            n: a,
            m: b,
            birthday: a === 3 ? '2024-05-02T10:00:00+02:00' : a,
            x: a,
            'odd "name"\\': a,
            'x"]; globalThis.pwned = true; //': b,
          },
          settings: { useContactId: a, mapProperties: b, requireIntegrationFlag: a },
          constructor: b,
        },
      });
    }
  return out;
}

describe('expressions compiled to one function', () => {
  it('give what the closures give, NEEDS_JSONATA included, on every value', () => {
    const g = globalThis as { pwned?: boolean };
    let compared = 0;
    let needs = 0;
    for (const source of sources) {
      const code = compileExpression(source);
      const closures = compileExpression(source, { code: false });
      expect(code.fast, source).to.equal(true);
      // The generated function is the one in use (it falls back to the closures only when it cannot be made).
      expect(code.now.name, source).to.equal('expression');
      expect(closures.now.name, source).to.not.equal('expression');
      for (const scope of scopes()) {
        const expected = closures.now(scope);
        expect(code.now(scope), `${source} on ${JSON.stringify(scope)}`).to.deep.equal(expected);
        if (expected === NEEDS_JSONATA) needs++;
        compared++;
      }
    }
    expect(compared).to.equal(sources.length * values.length ** 2);
    expect(needs, 'cases that need JSONata').to.be.greaterThan(100);
    expect(g.pwned).to.equal(undefined);
  });
});
