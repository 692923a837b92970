// The fast path must give exactly what JSONata gives, and JSONata itself runs with guardrails.
import { expect } from 'chai';
import jsonata from 'jsonata';
import {
  compileExpression,
  ExpressionEvaluationError,
  jsonataLimits,
  type Scope,
} from '../../src/mapping/expression.js';
import { helperFunctions } from '../../src/mapping/functions.js';

const inputs: Scope[] = [
  {
    input: { type: 'identify', userId: 'u1', traits: { a: 1 }, integrations: { Salesforce: true } },
    vars: {
      traits: {
        name: 'Ada King Lovelace',
        email: 'ada@example.com',
        company: { name: 'Initech', n: 0 },
        address: { city: 'Paris' },
        flag: false,
        empty: '',
        tags: ['x', 'y'],
      },
      settings: { useContactId: true, mapProperties: false },
    },
  },
  {
    input: { type: 'track', event: 'Issue Submitted', properties: { priority: 'High' } },
    vars: { traits: { company: 'Acme', city: 'Rome', name: 'Cher' }, settings: { useContactId: false } },
  },
  { input: { type: 'group', groupId: 813 }, vars: { traits: undefined, settings: {} } },
];

const expressions = [
  '$traits.email',
  '$traits.address.city',
  '$coalesce($traits.address.city, $traits.city)',
  '$coalesce($traits.company.name, $traits.company)',
  'type = "identify"',
  'type != "identify"',
  'type = "track" and event = "Issue Submitted"',
  '$not(type = "group") or groupId = 813',
  '$settings.useContactId',
  '$settings.mapProperties = false',
  '$firstWord($traits.name)',
  '$restWords($traits.name)',
  "'n/a'",
  '42',
  'true',
  'null',
  '$settings.useContactId ? $traits.address.city',
  '$settings.useContactId ? "yes" : "no"',
  '$traits.flag',
  '$traits.empty',
  '$exists($traits.email)',
  '$boolean(integrations.Salesforce) or $boolean(integrations.`Salesforce (Actions)`)',
  '$lowercase($traits.email)',
  'userId & "-" & type',
  '$traits.tags',
  'properties.priority',
  'groupId',
  '$traits.company.n',
  '$traits.missing.deeper',
];

async function reference(source: string, scope: Scope): Promise<unknown> {
  const e = jsonata(source);
  for (const [name, fn] of Object.entries(helperFunctions)) e.registerFunction(name, fn.impl, fn.signature);
  const v = await e.evaluate(scope.input, scope.vars);
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

describe('mapping expressions', () => {
  for (const source of expressions) {
    it(`fast path = JSONata for ${source}`, async () => {
      const c = compileExpression(source);
      expect(c.fast, 'compiled to the fast path').to.equal(true);
      for (const scope of inputs) {
        const got = c.evaluate(scope);
        const v = got instanceof Promise ? await got : got;
        expect(v === undefined ? undefined : JSON.parse(JSON.stringify(v))).to.deep.equal(
          await reference(source, scope),
        );
      }
    });
  }

  it('an array in the middle of a path hands over to JSONata, which maps over it', async () => {
    const c = compileExpression('$traits.items.sku');
    const v = await c.evaluate({ input: {}, vars: { traits: { items: [{ sku: 'a' }, { sku: 'b' }] } } });
    expect(v).to.deep.equal(['a', 'b']);
  });

  it('anything outside the fast subset runs in JSONata', async () => {
    const c = compileExpression('$sum(properties.items.price)');
    expect(c.fast).to.equal(false);
    expect(await c.evaluate({ input: { properties: { items: [{ price: 2 }, { price: 3 }] } }, vars: {} })).to.equal(5);
  });

  it('a runaway expression is stopped by the guardrails, not by the heap', async () => {
    const c = compileExpression('($f := function($n) { $n = 0 ? 0 : $f($n - 1) + 1 }; $f(100000))');
    let err: unknown;
    try {
      await c.evaluate({ input: {}, vars: {} });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ExpressionEvaluationError);
    const big = compileExpression('[1..100000000]');
    let err2: unknown;
    try {
      await big.evaluate({ input: {}, vars: {} });
    } catch (e) {
      err2 = e;
    }
    expect(err2, `sequence limit ${jsonataLimits.sequence}`).to.be.instanceOf(ExpressionEvaluationError);
  });

  it('records the paths an expression reads (for the custom-field rule)', () => {
    expect(compileExpression('$coalesce($traits.address.city, $traits.city, context.traits.city)').reads).to.deep.equal(
      [
        ['$traits', 'address', 'city'],
        ['$traits', 'city'],
        ['context', 'traits', 'city'],
      ],
    );
  });
});

describe('trigger requirements (rule index)', () => {
  it('reads type/event equalities from the top and-chain only', () => {
    expect(
      compileExpression('type = "track" and event = "Issue Submitted" and properties.x > 1').requires,
    ).to.deep.equal({ type: 'track', event: 'Issue Submitted' });
    expect(compileExpression('"group" = type and ($settings.a or $settings.b)').requires).to.deep.equal({
      type: 'group',
    });
    expect(compileExpression('type = "record" and (action = "insert" or action = "update")').requires).to.deep.equal({
      type: 'record',
    });
    expect(compileExpression('type = "identify" or type = "group"').requires).to.equal(undefined);
    expect(compileExpression('$not(type = "identify")').requires).to.equal(undefined);
  });
});

describe('$dateOnly', () => {
  it('keeps the calendar date as written, whatever the offset; epoch milliseconds are UTC', async () => {
    const f = compileExpression('$dateOnly(properties.d)');
    const at = (d: unknown) => f.evaluate({ input: { properties: { d } }, vars: {} });
    expect(at('2024-12-31T23:30:00-05:00')).to.equal('2024-12-31');
    expect(at('2024-03-05T01:00:00+02:00')).to.equal('2024-03-05');
    expect(at('2024-03-05')).to.equal('2024-03-05');
    expect(at(Date.UTC(2024, 2, 5, 23))).to.equal('2024-03-05');
    expect(at('not a date')).to.equal(undefined);
  });
});
