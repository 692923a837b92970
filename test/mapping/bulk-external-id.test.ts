// Issue 10 item 17: a field that is both the Bulk upsert's external id and in `fields` is refused at
// load (Bulk would refuse the whole job for the repeated key column).
import { expect } from 'chai';
import { loadRuleText } from '../../src/mapping/load-rule.js';
import { loadObjectCatalog } from '../../src/salesforce/object-catalog.js';

describe('load: Bulk external id also in fields', () => {
  const catalog = loadObjectCatalog();
  const rule = (fields: string) =>
    [
      'name: orders',
      'when: type = "track"',
      'object: Opportunity',
      'operation: upsert',
      'bulk: true',
      'externalId: { field: External_Id__c, value: properties.orderId }',
      'fields:',
      '  Name: properties.name',
      fields,
    ].join('\n');

  it('is refused at the field, with what to do', () => {
    const problems = loadRuleText('orders.yaml', rule('  External_Id__c: properties.orderId'), catalog).problems.map(
      (p) => `${p.line}:${p.col}: ${p.message}`,
    );
    expect(problems).to.deep.equal([
      "9:3: External_Id__c is the Bulk upsert's external id: it is sent from externalId.value, remove it from fields",
    ]);
  });

  it('loads without it', () => {
    expect(loadRuleText('orders.yaml', rule('  StageName: "\'Prospecting\'"'), catalog).problems).to.deep.equal([]);
  });
});
