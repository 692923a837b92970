import { expect } from 'chai';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { Client, useEmulator, V } from './client.js';

/** The Salesforce objects behind seed 000's 48 collections (accounts … role). */
const SEED_OBJECTS = [
  'Account',
  'AccountContactRole',
  'AccountTag',
  'Campaign',
  'CampaignMember',
  'CampaignShare',
  'CampaignTag',
  'Case',
  'CaseComment',
  'CaseContactRole',
  'CaseSolution',
  'CaseTag',
  'Contact',
  'ContactTag',
  'Contract',
  'ContractTag',
  'Dashboard',
  'DashboardTag',
  'Document',
  'DocumentTag',
  'Event',
  'EventTag',
  'Group',
  'Lead',
  'LeadTag',
  'Name',
  'Note',
  'NoteTag',
  'Opportunity',
  'OpportunityCompetitor',
  'OpportunityContactRole',
  'OpportunityFieldHistory',
  'OpportunityLineItem',
  'OpportunityLineItemSchedule',
  'OpportunityStage',
  'OpportunityTag',
  'Period',
  'Pricebook2',
  'PricebookEntry',
  'Product2',
  'Profile',
  'Solution',
  'SolutionTag',
  'Task',
  'TaskTag',
  'User',
  'UserLogin',
  'UserRole',
];

describe('emulator as a source org: describeGlobal and describe', () => {
  let emulator: RunningEmulator;
  let sf: Client;
  useEmulator((e, c) => {
    emulator = e;
    sf = c;
  });

  const describe = async (o: string): Promise<{ fields: Record<string, any>; body: any }> => {
    const r = await sf.call('GET', `${V}/sobjects/${o}/describe`);
    expect(r.status, o).to.equal(200);
    return { body: r.body, fields: Object.fromEntries(r.body.fields.map((f: { name: string }) => [f.name, f])) };
  };

  it('GET /sobjects lists every collection object; all but Name are queryable', async () => {
    const r = await sf.call('GET', `${V}/sobjects`);
    expect(r.status).to.equal(200);
    expect(SEED_OBJECTS).to.have.length(48);
    const byName = Object.fromEntries(r.body.sobjects.map((o: { name: string }) => [o.name, o]));
    for (const name of SEED_OBJECTS) expect(byName[name], name).to.not.equal(undefined);
    expect(SEED_OBJECTS.filter((n) => !byName[n].queryable)).to.deep.equal(['Name']);
    expect(byName.Account).to.include({
      label: 'Account',
      labelPlural: 'Accounts',
      keyPrefix: '001',
      custom: false,
      replicateable: true,
    });
    expect(byName.Account.urls.describe).to.equal(`${V}/sobjects/Account/describe`);
    expect(byName.Invoice__c).to.include({ custom: true, queryable: true });
  });

  it('every collection object describes, with an Id and typed fields', async () => {
    for (const name of SEED_OBJECTS) {
      const { body, fields } = await describe(name);
      expect(body.name).to.equal(name);
      expect(fields.Id, name).to.include({ type: 'id', soapType: 'tns:ID', filterable: true });
    }
  });

  it('Name is not queryable: describe says so and a query answers INVALID_TYPE_FOR_OPERATION', async () => {
    expect((await describe('Name')).body).to.include({ queryable: false, replicateable: false, keyPrefix: null });
    const q = await sf.query('SELECT Id FROM Name');
    expect(q.status).to.equal(400);
    expect(q.body[0].errorCode).to.equal('INVALID_TYPE_FOR_OPERATION');
    expect(q.body[0].message).to.contain('entity type Name does not support query');
  });

  it('Account has compound address and location fields with components, formulas, picklists and types', async () => {
    const { fields } = await describe('Account');
    expect(fields.BillingAddress).to.include({
      type: 'address',
      soapType: 'urn:address',
      filterable: false,
      sortable: false,
      createable: false,
    });
    expect(fields.BillingCity).to.include({
      type: 'string',
      compoundFieldName: 'BillingAddress',
      filterable: true,
      createable: true,
    });
    expect(fields.HQ_Location__c).to.include({ type: 'location', custom: true });
    expect(fields.HQ_Location__Latitude__s).to.include({ type: 'double', compoundFieldName: 'HQ_Location__c' });
    expect(fields.Health_Score__c).to.include({ calculated: true, createable: false, type: 'double' });
    expect(fields.Health_Score__c.calculatedFormula).to.contain('ISPICKVAL');
    expect(fields.Rating.picklistValues.map((v: { value: string }) => v.value)).to.deep.equal(['Hot', 'Warm', 'Cold']);
    expect(fields.Segments__c).to.include({ type: 'multipicklist', sortable: false });
    expect(fields.AnnualRevenue).to.include({ type: 'currency', soapType: 'xsd:double', precision: 18, scale: 0 });
    expect(fields.NumberOfEmployees).to.include({ type: 'int', soapType: 'xsd:int' });
    expect(fields.Description).to.include({ type: 'textarea', filterable: false });
    expect(fields.SystemModstamp).to.include({
      type: 'datetime',
      filterable: true,
      createable: false,
      nillable: false,
    });
    expect(fields.ParentId).to.include({ type: 'reference', relationshipName: 'Parent' });
    expect(fields.ParentId.referenceTo).to.deep.equal(['Account']);
    const types = new Set<string>();
    for (const o of ['Account', 'Contact', 'Document', 'Event', 'OpportunityFieldHistory', 'Opportunity', 'Lead']) {
      for (const f of Object.values((await describe(o)).fields)) types.add(f.type);
    }
    for (const t of [
      'id',
      'string',
      'picklist',
      'multipicklist',
      'boolean',
      'double',
      'currency',
      'percent',
      'int',
      'date',
      'datetime',
      'reference',
      'textarea',
      'email',
      'phone',
      'url',
      'address',
      'location',
      'base64',
      'combobox',
      'anyType',
    ]) {
      expect(types.has(t), t).to.equal(true);
    }
  });

  it('audit fields differ by object, so cursor choice has every case', async () => {
    const has = async (o: string): Promise<string[]> => {
      const { fields } = await describe(o);
      return ['SystemModstamp', 'LastModifiedDate', 'CreatedDate'].filter((n) => fields[n]?.filterable);
    };
    expect(await has('Account')).to.deep.equal(['SystemModstamp', 'LastModifiedDate', 'CreatedDate']);
    expect(await has('OpportunityFieldHistory')).to.deep.equal(['CreatedDate']);
    expect(await has('CampaignShare')).to.deep.equal(['LastModifiedDate']);
    expect(await has('Period')).to.deep.equal(['SystemModstamp']);
    // A test can make SystemModstamp unfilterable (as on ActivityFieldHistory); a filter on it is then refused.
    emulator.state.defineObject({
      name: 'CaseSolution',
      fields: { SystemModstamp: { type: 'datetime', readOnly: true, filterable: false } },
    });
    expect(await has('CaseSolution')).to.deep.equal(['CreatedDate']);
    const q = await sf.query('SELECT Id FROM CaseSolution WHERE SystemModstamp >= 2026-01-01T00:00:00Z');
    expect(q.body[0]).to.include({ errorCode: 'INVALID_FIELD' });
  });

  it('REST reads compound fields as one object and base64 fields as the URL of their bytes', async () => {
    const [acct] = emulator.state.seed('Account', [
      {
        Name: 'A',
        BillingCity: 'Paris',
        BillingCountry: 'France',
        HQ_Location__Latitude__s: 48.85,
        HQ_Location__Longitude__s: 2.35,
      },
    ]);
    const q = await sf.query('SELECT BillingAddress, ShippingAddress, HQ_Location__c FROM Account');
    expect(q.body.records[0].BillingAddress).to.deep.include({ city: 'Paris', country: 'France', street: null });
    expect(q.body.records[0].ShippingAddress).to.equal(null);
    expect(q.body.records[0].HQ_Location__c).to.deep.equal({ latitude: 48.85, longitude: 2.35 });
    expect(acct.Id).to.be.a('string');
    const [doc] = emulator.state.seed('Document', [{ Name: 'd.txt', Body: Buffer.from('hello').toString('base64') }]);
    const d = await sf.query('SELECT Id, Body FROM Document');
    expect(d.body.records[0].Body).to.equal(`${V}/sobjects/Document/${doc.Id}/Body`);
    const blob = await fetch(emulator.url + d.body.records[0].Body, {
      headers: { Authorization: `Bearer ${sf.token}` },
    });
    expect(blob.status).to.equal(200);
    expect(await blob.text()).to.equal('hello');
  });
});
