// Events whose rules need JSONata take the asynchronous path of the same evaluator; failures there
// are that event's 400, and its neighbours are unaffected.
import { expect } from 'chai';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { mapEvent, mapEventNow, type Explanation } from '../../src/mapping/map-event.js';
import { transformItems } from '../../src/mapping/transform.js';

describe('mapEvent: fast and JSONata paths', () => {
  const store = new MappingStore();
  store.load();
  const rule = (fields: Record<string, string>, when = '$contains(event, "Issue")') => ({
    name: 'inline-case',
    when,
    object: 'Case',
    operation: 'create',
    fields,
  });
  const item = (fields: Record<string, string>, when?: string, jobId = 1) => ({
    message: {
      type: 'track',
      event: 'Issue Submitted',
      properties: { tags: ['a', 'b'], priority: 'High' },
      integrations: { Salesforce: true },
    },
    metadata: { jobId },
    destination: { Config: { mappings: [rule(fields, when)] } },
  });

  it('an all-fast event is answered without JSONata', async () => {
    const r = mapEvent(item({ Priority: 'properties.priority' }, 'event = "Issue Submitted"'), store.current);
    expect(r).to.be.instanceOf(Promise); // mapEvent is async; the fast path awaits no JSONata inside it
  });

  it('an all-fast event is mapped synchronously, with no promise at all', () => {
    const r = mapEventNow(item({ Priority: 'properties.priority' }, 'event = "Issue Submitted"'), store.current);
    expect(r).not.to.be.instanceOf(Promise);
    expect(r).to.include({ statusCode: 200 });
  });

  it('several JSONata values in one event: each awaited in turn, the pass repeated, explained once', async () => {
    const explain: Explanation[] = [];
    const fields = {
      Subject: '$join(properties.tags, ", ")',
      Description: '$join(properties.tags, "+")',
      Priority: 'properties.priority',
      Origin: '$string($count(properties.tags))',
    };
    const r = mapEventNow(item(fields), store.current, { explain });
    expect(r).to.be.instanceOf(Promise);
    const done = await r;
    expect(done.statusCode).to.equal(200);
    if (done.statusCode !== 200) return;
    expect(done.output[0].fields).to.deep.equal({ Subject: 'a, b', Description: 'a+b', Priority: 'High', Origin: '2' });
    // Every rule once: a repeated pass starts its explanation afresh.
    const names = explain.map((e) => e.rule);
    expect(names).to.deep.equal([...new Set(names)]);
    expect(explain.find((e) => e.rule === 'inline-case')).to.include({ fired: true });
  });

  it('a JSONata failure after another JSONata value names the failing field', async () => {
    const r = await mapEventNow(
      item({ Subject: '$join(properties.tags, ", ")', Description: '$string($sum(properties.priority))' }),
      store.current,
    );
    expect(r).to.include({ statusCode: 400, errorCode: 'EXPRESSION_ERROR' });
    expect((r as { error: string }).error).to.match(/^mapping inline-case, fields\.Description /);
  });

  it('JSONata-only expressions (when and fields) are awaited and give the same shape', async () => {
    const r = mapEvent(
      item({ Subject: '$join(properties.tags, ", ")', Priority: 'properties.priority' }),
      store.current,
    );
    expect(r).to.be.instanceOf(Promise);
    const done = await r;
    expect(done.statusCode).to.equal(200);
    if (done.statusCode !== 200) return;
    expect(done.output[0].fields).to.deep.equal({ Subject: 'a, b', Priority: 'High' });
  });

  it('a JSONata failure is the event’s 400 naming rule, field and expression; neighbours are fine', async () => {
    const results = await transformItems(
      [
        item({ Subject: '$string($sum(properties.priority))' }, undefined, 1),
        item({ Priority: 'properties.priority' }, undefined, 2),
      ],
      store.current,
    );
    expect(results[0].statusCode).to.equal(400);
    expect(results[0]).to.include({ errorCode: 'EXPRESSION_ERROR' });
    expect((results[0] as { error: string }).error).to.match(
      /^mapping inline-case, fields\.Subject \(\$string\(\$sum\(properties\.priority\)\)\): /,
    );
    expect(results[1].statusCode).to.equal(200);
  });

  it('rules whose triggers have the same text share its value: each still fires, explained as before', async () => {
    // The shared value is taken only from the same text; a different trigger between them is evaluated.
    const shared = '$count(properties.tags) = 2'; // JSONata only: the shared value is awaited once
    const named = (name: string, when: string, subject: string) => ({
      name,
      when,
      object: 'Case',
      operation: 'create',
      fields: { Subject: `"${subject}"` },
    });
    const mk = (tags: string[]) => ({
      message: { type: 'track', event: 'Issue Submitted', properties: { tags }, integrations: { Salesforce: true } },
      metadata: { jobId: 1 },
      destination: {
        Config: {
          mappingsMode: 'replace',
          mappings: [
            named('first', shared, 'one'),
            named('other', 'properties.tags[0] = "x"', 'two'),
            named('second', shared, 'three'),
            named('third', shared, 'four'),
          ],
        },
      },
    });
    const explain: Explanation[] = [];
    const fired = await mapEventNow(mk(['a', 'b']), store.current, { explain });
    expect(fired.statusCode).to.equal(200);
    if (fired.statusCode !== 200) return;
    expect(fired.output.map((o) => o.fields.Subject)).to.deep.equal(['one', 'three', 'four']);
    // Rules that do not fire are explained while deciding, those that fire as they build.
    expect(explain.map((e) => [e.rule, e.fired])).to.deep.equal([
      ['other', false],
      ['first', true],
      ['second', true],
      ['third', true],
    ]);
    // Without explain the same rules fire (candidates, not every rule).
    const plain = await mapEventNow(mk(['a', 'b']), store.current);
    expect(plain).to.deep.equal(fired);
    const none = await mapEventNow(mk(['x']), store.current);
    expect(none.statusCode).to.equal(200);
    if (none.statusCode !== 200) return;
    expect(none.output.map((o) => o.fields.Subject)).to.deep.equal(['two']);
  });
});
