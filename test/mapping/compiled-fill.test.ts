// A field table compiled into one function must write exactly what the general path (setWith per
// field) writes, for every kind of field and value, and must never turn a name into code.
import { expect } from 'chai';
import { compileFill, fieldStore } from '../../src/mapping/compiled-fill.js';
import { Evaluations } from '../../src/mapping/evaluation.js';
import { compileExpression, NEEDS_JSONATA } from '../../src/mapping/expression.js';
import { CustomFieldNames, RecordBuilder } from '../../src/mapping/record-fields.js';
import type { CompiledField } from '../../src/mapping/rule.js';
import type { FieldMetadata, ObjectMetadata } from '../../src/salesforce/object-metadata.js';

const metas: Record<string, FieldMetadata> = {
  Title: { name: 'Title', type: 'string', length: 5 },
  Notes: { name: 'Notes', type: 'textarea' },
  Ref: { name: 'Ref', type: 'reference', length: 18 },
  Flag: { name: 'Flag', type: 'boolean' },
  Count: { name: 'Count', type: 'int' },
  Amount: { name: 'Amount', type: 'currency' },
  Day: { name: 'Day', type: 'date' },
  At: { name: 'At', type: 'datetime' },
};
const object: ObjectMetadata = { name: 'Thing', fields: metas } as ObjectMetadata;
const values: unknown[] = [
  undefined,
  null,
  '',
  'abc',
  'abcde',
  'abcdef',
  '😀😀😀😀😀',
  ' 42 ',
  '42',
  'true',
  'FALSE',
  'not a date',
  '2024-05-02',
  '2024-05-02T10:00:00+02:00',
  0,
  1,
  42,
  4.5,
  -0,
  NaN,
  Infinity,
  true,
  false,
  ['a', 'b'],
  ['x', { y: 1 }],
  { a: 1 },
  [],
];

type Outcome = { fields: Record<string, unknown>; skipped: unknown[] } | { error: string };

function outcome(run: (record: RecordBuilder) => void, trim: boolean, meta: ObjectMetadata | undefined): Outcome {
  const record = new RecordBuilder(meta, trim, 'Thing');
  try {
    run(record);
  } catch (err) {
    return { error: (err as Error).message };
  }
  return { fields: record.fields, skipped: record.skipped };
}

describe('compiled field tables', () => {
  for (const trim of [true, false]) {
    for (const meta of [object, undefined]) {
      it(`write what setWith writes for every type and value (trim ${trim}, ${meta ? 'known object' : 'unknown object'})`, () => {
        let compared = 0;
        for (const field of [...Object.keys(metas), 'Unknown__c']) {
          for (const value of values) {
            const fields: CompiledField[] = [{ field, expr: compileExpression('$v'), where: `fields.${field}` }];
            const fieldMetas = [meta?.fields[field]];
            const fill = compileFill(fields, fieldMetas, trim);
            const compiled = outcome(
              (r) => fill(new Evaluations(), r, { input: {}, vars: { v: value } }, 'rule'),
              trim,
              meta,
            );
            const general = outcome(
              (r) => (value === undefined ? undefined : r.setWith(field, fieldMetas[0], value, '$v')),
              trim,
              meta,
            );
            expect(compiled, `${field} ← ${String(value)}`).to.deep.equal(general);
            compared++;
          }
        }
        expect(compared).to.equal(9 * values.length);
      });
    }
  }

  for (const trim of [true, false]) {
    for (const meta of [object, undefined]) {
      it(`custom fields stored as they are are what setWith writes (trim ${trim}, ${meta ? 'known object' : 'unknown object'})`, () => {
        const rule = {
          from: compileExpression('$traits'),
          suffix: '__c',
          except: new Set<string>(),
          setAside: new Set<string>(),
        };
        const names = new CustomFieldNames(meta, 'Thing', rule, new Set(), 'traits');
        let compared = 0;
        for (const key of [...Object.keys(metas), 'Unknown']) {
          const k = names.of(key);
          if (k.kind !== 'field') throw new Error(`${key} should be a field, is ${k.kind}`);
          for (const value of values) {
            const custom = outcome((r) => r.addCustom({ [key]: value }, names), trim, meta);
            const general = outcome(
              (r) => (value === undefined ? undefined : r.setWith(k.name, k.meta, value, k.source)),
              trim,
              meta,
            );
            expect(custom, `${key} ← ${String(value)}`).to.deep.equal(general);
            compared++;
          }
        }
        expect(compared).to.equal(9 * values.length);
      });
    }
  }

  it('reads plain paths and $coalesce inline exactly as the expression itself does', () => {
    const sources = [
      '$traits.email',
      '$traits.address.city',
      'context.traits.email',
      'type',
      '$traits',
      '$traits.a.b.c',
      '$traits.constructor',
      '$traits.toString',
      '$constructor.x',
      '$traits.__proto__',
      '$traits.`odd "name"\\`',
      '$coalesce($traits.email, context.traits.email, properties.email)',
      '$coalesce($traits.address.city, $traits.city)',
    ];
    const data: unknown[] = [
      undefined,
      null,
      '',
      'text',
      0,
      7,
      true,
      [],
      ['a'],
      [{ city: 'x' }],
      {},
      { city: '' },
      { city: 'Paris', email: 'a@b' },
      { email: ['x', 'y'] },
    ];
    let compared = 0;
    for (const source of sources) {
      const expr = compileExpression(source);
      expect(expr.plain, source).to.not.equal(undefined);
      const fill = compileFill([{ field: 'Title', expr, where: 'fields.Title' }], [undefined], false);
      for (const a of data) {
        for (const b of data) {
          const scope = {
            input: { type: a, context: { traits: { email: b } }, properties: a },
            vars: {
              traits: {
                email: a,
                address: b,
                city: b,
                a: { b: { c: a } },
                'odd "name"\\': a,
                ...(b && typeof b === 'object' ? b : {}),
              },
              constructor: a,
            },
          };
          const expected = expr.now(scope);
          const record = new RecordBuilder(undefined, false, 'Thing');
          let got: unknown;
          try {
            fill(new Evaluations(), record, scope, 'rule');
            got = record.fields.Title;
          } catch {
            got = 'JSONata'; // it stopped for JSONata: the expression must have said so too
          }
          const want = expected === NEEDS_JSONATA ? 'JSONata' : expected;
          if (want === 'JSONata' || got === 'JSONata')
            expect(got, `${source} on ${JSON.stringify(scope)}`).to.equal(want);
          else if (want !== undefined && (want === null || typeof want !== 'object'))
            expect(got, source).to.equal(want);
          else if (want === undefined) expect(got, source).to.equal(undefined);
          compared++;
        }
      }
    }
    expect(compared).to.equal(sources.length * data.length ** 2);
  });

  it('keeps field order, and a name that is not an API name never becomes code', () => {
    const g = globalThis as { pwned?: boolean };
    const hostile = 'x"]=1;globalThis.pwned=true;//';
    const fields: CompiledField[] = [
      { field: 'Title', expr: compileExpression('$traits.title'), where: 'fields.Title' },
      { field: hostile, expr: compileExpression('$traits.other'), where: 'fields.x' },
      { field: 'Notes', expr: compileExpression('"fixed"'), where: 'fields.Notes' },
    ];
    const fill = compileFill(fields, [metas.Title, undefined, metas.Notes], true);
    const record = new RecordBuilder(object, true, 'Thing');
    fill(new Evaluations(), record, { input: {}, vars: { traits: { title: 'Dr', other: 'o' } } }, 'rule');
    expect(g.pwned).to.equal(undefined);
    expect(Object.entries(record.fields)).to.deep.equal([
      ['Title', 'Dr'],
      [hostile, 'o'],
      ['Notes', 'fixed'],
    ]);
  });

  it('stores a field under its name exactly as a computed-key assignment does, and runs no name as code', () => {
    const g = globalThis as { pwned?: boolean };
    const names = [
      'Email',
      'Plan__c',
      'x',
      'A1_b2__c',
      'constructor',
      'toString',
      'hasOwnProperty',
      '__proto__',
      'x"]=1;globalThis.pwned=true;//',
      "x'];globalThis.pwned=true;//",
      'a\\',
      'line\nbreak',
      '\u2028',
      'é',
      '',
      '1abc',
    ];
    for (const name of names) {
      for (const value of ['v', 7, true, null]) {
        const stored: Record<string, unknown> = {};
        const assigned: Record<string, unknown> = {};
        fieldStore(name)(stored as Record<string, string>, value);
        fieldStore(name)(stored as Record<string, string>, value); // the compiled store, reused
        assigned[name] = value;
        assigned[name] = value;
        expect(Object.getPrototypeOf(stored), name).to.equal(Object.getPrototypeOf(assigned));
        expect(Object.entries(stored), name).to.deep.equal(Object.entries(assigned));
        expect(Object.hasOwn(stored, name), name).to.equal(Object.hasOwn(assigned, name));
      }
    }
    expect(g.pwned).to.equal(undefined);
  });
});
