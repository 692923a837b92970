// The planner leaves out the custom fields an org lacks (a value it is given: planning stays pure),
// says which, and never touches standard fields or strict events.
import { expect } from 'chai';
import { planDelivery } from '../../src/plan/delivery-planner.js';
import { objectsWithCustomFields, withoutUnknownFields, type OrgFields } from '../../src/plan/org-fields.js';
import type { Operation } from '../../src/operation/operation.js';

const ORG: OrgFields = new Map([
  ['lead', new Set(['id', 'email', 'lastname', 'company', 'lead_score__c'])],
  ['contact', new Set(['id', 'email', 'title'])],
]);

const create = (fields: Operation['fields'], createFields?: Operation['createFields']): Operation => ({
  mapping: 'lead',
  object: 'Lead',
  operation: 'create',
  fields,
  ...(createFields ? { createFields } : {}),
  http: [],
});

describe('plan/org-fields: unknown custom fields', () => {
  it('drops only custom fields the org lacks, in any case; standard fields stay even when the org lacks them', () => {
    const out = withoutUnknownFields(
      'LEAD',
      { Email: 'a@x', Lead_Score__C: 3, foo__c: 'x', CurrencyIsoCode: 'EUR' },
      ORG,
    );
    expect(out.fields).to.deep.equal({ Email: 'a@x', Lead_Score__C: 3, CurrencyIsoCode: 'EUR' });
    expect(out.dropped).to.deep.equal(['foo__c']);
    expect(withoutUnknownFields('Account', { foo__c: 1 }, ORG).dropped, 'fields not known: keep all').to.deep.equal([]);
  });

  it('names only the objects written with custom fields (a follow target too)', () => {
    const follow: Operation = {
      ...create({ Email: 'a@x' }),
      operation: 'upsert',
      follow: { when: 'IsConverted', idField: 'ConvertedContactId', object: 'Contact', fields: { Nick__c: 'n' } },
    };
    expect(objectsWithCustomFields([create({ Email: 'a@x' })])).to.deep.equal([]);
    expect(objectsWithCustomFields([create({ Email: 'a@x' }, { Src__c: 'w' }), follow])).to.deep.equal([
      'Lead',
      'Contact',
    ]);
  });

  it('the plan writes without them and lists them per operation; a strict event keeps them; no org fields = no change', () => {
    const events = [
      { operations: [create({ Email: 'a@x', foo__c: 'x', Lead_Score__c: 1 }, { LastName: 'n/a', bar__c: 'y' })] },
      { operations: [create({ Email: 'b@x', foo__c: 'x' })], unknownFields: 'fail' as const },
      { operations: [create({ Email: 'c@x' })] },
    ];
    const plan = planDelivery(events, [], { apiVersion: '66.0', orgFields: ORG });
    expect(plan.dropped).to.deep.equal([{ ref: 0, object: 'Lead', fields: ['foo__c', 'bar__c'] }]);
    const call = plan.waves[0][0];
    if (call.via !== 'collections') throw new Error(`expected a collections call, got ${call.via}`);
    const records = (call.request.body as { records: Array<Record<string, unknown>> }).records;
    expect(records[0]).to.deep.equal({ attributes: { type: 'Lead' }, LastName: 'n/a', Email: 'a@x', Lead_Score__c: 1 });
    expect(records[1]).to.deep.include({ foo__c: 'x' });
    expect(plan.writes[0]?.fields).to.deep.equal({ Email: 'a@x', Lead_Score__c: 1 });
    const unchanged = planDelivery(events, [], { apiVersion: '66.0' });
    expect(unchanged.dropped).to.equal(undefined);
    expect(JSON.stringify(unchanged.waves)).to.contain('bar__c');
  });
});
