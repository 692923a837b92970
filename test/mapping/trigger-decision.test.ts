// Candidate rules decided by the equalities their triggers require: the same answers as evaluating
// every rule, for values that match, differ, are missing or are lists/objects; and the rules that
// cannot fire are really left out.
import { expect } from 'chai';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileExpression, type Scope } from '../../src/mapping/expression.js';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { transformItems } from '../../src/mapping/transform.js';
import { triggerDecision } from '../../src/mapping/trigger-decision.js';
import { triggerEqualities } from '../../src/mapping/trigger-equalities.js';
import { scratchMappings } from '../cli/buffer-io.js';

const rule = (i: number) => `name: plan-${i}
when: type = "identify" and $traits.plan = "plan-${i}"
object: Lead
operation: update
match:
  Email: $traits.email
fields:
  Description: "'plan ' & $traits.plan"
`;

describe('trigger equalities and the shared decision over them', () => {
  it('reads path = literal conjuncts of the top and-chain, nested paths and variables included', () => {
    const eq = (src: string) => compileExpression(src).equalities;
    expect(eq('type = "identify" and $traits.plan = "pro"')).to.deep.equal([
      { path: ['type'], value: 'identify' },
      { path: ['$traits', 'plan'], value: 'pro' },
    ]);
    expect(eq('(3 = properties.tier) and (context.library.name = "web")')).to.deep.equal([
      { path: ['properties', 'tier'], value: 3 },
      { path: ['context', 'library', 'name'], value: 'web' },
    ]);
    expect(eq('$settings.useContactId = true')).to.deep.equal([{ path: ['$settings', 'useContactId'], value: true }]);
    // Not required: either side of an or, a predicate, a comparison other than =.
    expect(eq('type = "identify" or traits.plan = "x"')).to.deep.equal([]);
    expect(eq('traits[0].plan = "x"')).to.deep.equal([]);
    expect(eq('traits.plan != "x"')).to.deep.equal([]);
    expect(triggerEqualities(null)).to.deep.equal([]);
  });

  it('keeps only the rules that can still fire, and every rule when the value is a list or object', () => {
    const rules = ['a', 'b', 'c', 'd', 'e'].map((name, i) => ({
      name,
      eq: i === 0 ? [] : [{ path: ['$traits', 'plan'], value: i === 4 ? 3 : `p${i}` }],
    }));
    const decide = triggerDecision(rules, (r) => r.eq);
    const names = (traits: unknown) => decide({ input: { type: 'identify' }, vars: { traits } }).map((r) => r.name);
    expect(names({ plan: 'p2' })).to.deep.equal(['a', 'c']);
    expect(names({ plan: 'p1' })).to.deep.equal(['a', 'b']);
    expect(names({ plan: 3 })).to.deep.equal(['a', 'e']);
    expect(names({ plan: '3' })).to.deep.equal(['a']);
    expect(names({})).to.deep.equal(['a']);
    expect(names(undefined)).to.deep.equal(['a']);
    expect(names({ plan: ['p1'] })).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(names({ plan: { v: 'p1' } })).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
  });

  describe('with 100 rules on $traits.plan beside the shipped ones', () => {
    let dir: string;
    let store: MappingStore;
    before(() => {
      dir = scratchMappings();
      for (let i = 0; i < 100; i++)
        writeFileSync(join(dir, 'salesforce', `plan-${String(i).padStart(3, '0')}.yaml`), rule(i));
      store = new MappingStore(dir);
      expect(store.load().problems).to.deep.equal([]);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const item = (jobId: number, traits: unknown, extra: Record<string, unknown> = {}) => ({
      message: { type: 'identify', traits, integrations: { Salesforce: true }, ...extra },
      metadata: { jobId },
    });
    const items = [
      item(1, { email: 'a@example.com', plan: 'plan-7' }),
      item(2, { email: 'b@example.com', plan: 'pro' }),
      item(3, { email: 'c@example.com' }),
      // (Lists and objects at the path fall back to every rule: the unit test above. Here they would
      // send 100 triggers through JSONata's guarded evaluator, whose time limit a loaded machine can hit.)
      item(6, { email: 'f@example.com', plan: 7 }),
      item(7, { email: 'g@example.com', plan: null }),
      {
        message: {
          type: 'identify',
          context: { traits: { email: 'h@example.com', plan: 'plan-42' } },
          integrations: { Salesforce: true },
        },
        metadata: { jobId: 8 },
      },
    ];

    it('answers exactly what evaluating every rule answers', async () => {
      const decided = await transformItems(items, store.current);
      // With explain, mapEvent evaluates every rule's trigger: the reference answer.
      const everyRule = await transformItems(items, store.current, { explain: [] });
      expect(decided).to.deep.equal(everyRule);
      const mappings = (i: number) => (decided[i] as { output?: { mapping: string }[] }).output?.map((o) => o.mapping);
      expect(mappings(0)).to.deep.equal(['lead', 'plan-7']);
      expect(mappings(1)).to.deep.equal(['lead']);
      expect(mappings(5)).to.deep.equal(['lead', 'plan-42']);
    });

    it('an identify with another plan considers the shipped rules only', () => {
      const scope = { input: { type: 'identify' }, vars: { traits: { plan: 'pro' } } } as Scope;
      const names = store.current.candidates('identify', undefined, scope).map((a) => a.rule.name);
      expect(names.some((n) => n.startsWith('plan-'))).to.equal(false);
      expect(names).to.include('lead');
      const seven = store.current
        .candidates('identify', undefined, { ...scope, vars: { traits: { plan: 'plan-7' } } })
        .map((a) => a.rule.name);
      expect(seven.filter((n) => n.startsWith('plan-'))).to.deep.equal(['plan-7']);
    });
  });
});
