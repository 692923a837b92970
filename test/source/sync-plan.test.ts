// The pure planner: cursor choice, window with lookback, REST vs Bulk, compound and base64 fields,
// formula refresh, resume of an interrupted Bulk job.
import { expect } from 'chai';
import { STANDARD_COLLECTIONS, collectionsOf, UnknownCollectionError } from '../../src/source/collections.js';
import { snakeCase } from '../../src/source/naming.js';
import type { DescribedField, ObjectDescription } from '../../src/source/object-description.js';
import { DEFAULT_PLAN_OPTIONS, planCollection } from '../../src/source/sync-plan.js';

const leads = STANDARD_COLLECTIONS.find((c) => c.name === 'leads')!;
const f = (name: string, type: string, extra: Partial<DescribedField> = {}): DescribedField => ({
  name,
  type,
  filterable: true,
  calculated: false,
  ...extra,
});
const LEAD: ObjectDescription = {
  name: 'Lead',
  fields: [
    f('Id', 'id'),
    f('IsDeleted', 'boolean'),
    f('FirstName', 'string'),
    f('AnnualRevenue', 'currency'),
    f('Address', 'address'),
    f('Street', 'textarea'),
    f('Score__c', 'double', { calculated: true }),
    f('CreatedDate', 'datetime'),
    f('LastModifiedDate', 'datetime'),
    f('SystemModstamp', 'datetime'),
  ],
};
const RUN = new Date('2026-12-01T12:00:00.500Z');

describe('source sync plan', () => {
  it('names tables as the seed does and columns in snake case', () => {
    expect(STANDARD_COLLECTIONS).to.have.length(48);
    expect(STANDARD_COLLECTIONS.find((c) => c.name === '_group')?.object).to.equal('Group');
    expect(STANDARD_COLLECTIONS.find((c) => c.name === 'names')).to.deep.equal({
      name: 'names',
      object: 'Name',
      queryable: false,
    });
    expect(
      ['FirstName', 'SystemModstamp', 'IsDeleted', 'Invoice_Total__c', 'MobilePhoneURL', 'Id'].map(snakeCase),
    ).to.deep.equal(['first_name', 'system_modstamp', 'is_deleted', 'invoice_total__c', 'mobile_phone_url', 'id']);
  });

  it('picks collections by name, adds custom objects, and refuses an unknown name', () => {
    expect(collectionsOf({ customObjects: ['Invoice__c'], only: ['leads', 'invoice__c'] })).to.deep.equal([
      leads,
      { name: 'invoice__c', object: 'Invoice__c' },
    ]);
    expect(() => collectionsOf({ only: ['lead'] })).to.throw(UnknownCollectionError, /unknown collection "lead"/);
  });

  it('first load: every column but compound ones, up to the run start, no lookback; Bulk when the first page shows a large answer', () => {
    const plan = planCollection(leads, LEAD, undefined, RUN);
    expect(plan.kind).to.equal('full');
    expect(plan.cursorField).to.equal('SystemModstamp');
    expect(plan.columns.map((c) => c.name)).to.deep.equal([
      'id',
      'is_deleted',
      'first_name',
      'annual_revenue',
      'street',
      'score__c',
      'created_date',
      'last_modified_date',
      'system_modstamp',
    ]);
    expect(plan.rows.via).to.equal('rest');
    expect(plan.rows.soql).to.equal(
      'SELECT Id, IsDeleted, FirstName, AnnualRevenue, Street, Score__c, CreatedDate, LastModifiedDate, SystemModstamp FROM Lead WHERE SystemModstamp < 2026-12-01T12:00:00Z ORDER BY SystemModstamp ASC',
    );
    expect(plan.rows.bulkSoql).to.equal(
      'SELECT Id, IsDeleted, FirstName, AnnualRevenue, Street, Score__c, CreatedDate, LastModifiedDate, SystemModstamp FROM Lead WHERE SystemModstamp < 2026-12-01T12:00:00Z',
    );
    expect(plan.formulas).to.equal(undefined);
  });

  it('increment: REST queryAll from cursor minus the lookback with >=, ordered by the cursor', () => {
    const plan = planCollection(
      leads,
      LEAD,
      { cursorField: 'SystemModstamp', cursor: '2026-12-01T09:00:00Z', formulasReadAt: '2026-12-01T09:00:00Z' },
      RUN,
    );
    expect(plan.kind).to.equal('incremental');
    expect(plan.rows.via).to.equal('rest');
    expect(plan.rows.ordered).to.equal(true);
    expect(plan.rows.soql).to.match(
      / WHERE SystemModstamp >= 2026-12-01T08:50:00Z AND SystemModstamp < 2026-12-01T12:00:00Z ORDER BY SystemModstamp ASC$/,
    );
    expect(plan.rows.bulkSoql).to.not.match(/ORDER BY/);
  });

  it('cursor: the first filterable of SystemModstamp > LastModifiedDate > CreatedDate; none → full refresh every run', () => {
    const without = (names: string[]) => ({
      ...LEAD,
      fields: LEAD.fields.map((x) => (names.includes(x.name) ? { ...x, filterable: false } : x)),
    });
    expect(planCollection(leads, without(['SystemModstamp']), undefined, RUN).cursorField).to.equal('LastModifiedDate');
    expect(planCollection(leads, without(['SystemModstamp', 'LastModifiedDate']), undefined, RUN).cursorField).to.equal(
      'CreatedDate',
    );
    const none = planCollection(
      leads,
      without(['SystemModstamp', 'LastModifiedDate', 'CreatedDate']),
      { cursor: '2026-01-01T00:00:00Z' },
      RUN,
    );
    expect(none.cursorField).to.equal(undefined);
    expect(none.kind).to.equal('full');
    expect(none.rows.soql).to.not.match(/WHERE/);
  });

  it('a cursor saved for another field, or --full-refresh, starts over', () => {
    expect(
      planCollection(leads, LEAD, { cursorField: 'CreatedDate', cursor: '2026-12-01T09:00:00Z' }, RUN).kind,
    ).to.equal('full');
    expect(
      planCollection(leads, LEAD, { cursorField: 'SystemModstamp', cursor: '2026-12-01T09:00:00Z' }, RUN, {
        ...DEFAULT_PLAN_OPTIONS,
        fullRefresh: true,
      }).kind,
    ).to.equal('full');
  });

  it('re-reads formula fields (Id + calculated) once they are older than formulaRefreshHours', () => {
    const due = planCollection(
      leads,
      LEAD,
      { cursorField: 'SystemModstamp', cursor: '2026-12-01T09:00:00Z', formulasReadAt: '2026-11-30T11:00:00Z' },
      RUN,
    );
    expect(due.formulas?.soql).to.equal('SELECT Id, Score__c FROM Lead WHERE SystemModstamp < 2026-12-01T12:00:00Z');
    expect(due.formulas?.columns.map((c) => c.name)).to.deep.equal(['id', 'score__c']);
    const fresh = planCollection(
      leads,
      LEAD,
      { cursorField: 'SystemModstamp', cursor: '2026-12-01T09:00:00Z', formulasReadAt: '2026-12-01T10:00:00Z' },
      RUN,
    );
    expect(fresh.formulas).to.equal(undefined);
  });

  it('base64 fields keep an object on REST (Bulk cannot read them); a too-long REST query goes to Bulk', () => {
    const doc = { name: 'Document', fields: [f('Id', 'id'), f('Body', 'base64'), f('SystemModstamp', 'datetime')] };
    const documents = STANDARD_COLLECTIONS.find((c) => c.name === 'documents')!;
    expect(planCollection(documents, doc, undefined, RUN).rows).to.include({ via: 'rest', bulkSoql: undefined });
    const wide = {
      ...LEAD,
      fields: [...LEAD.fields, ...Array.from({ length: 900 }, (_, i) => f(`Custom_Field_Number_${i}__c`, 'string'))],
    };
    const plan = planCollection(leads, wide, { cursorField: 'SystemModstamp', cursor: '2026-12-01T09:00:00Z' }, RUN);
    expect(plan.rows.via).to.equal('bulk');
  });

  it('a field type never seen before becomes text, with a notice naming the field', () => {
    const plan = planCollection(
      leads,
      { ...LEAD, fields: [...LEAD.fields, f('Vector__c', 'vectorembedding')] },
      undefined,
      RUN,
    );
    expect(plan.columns.find((c) => c.field === 'Vector__c')?.type).to.equal('text');
    expect(plan.notices).to.deep.equal([
      'Lead.Vector__c: field type "vectorembedding" is new to this product; stored as text',
    ]);
  });

  it('resumes an interrupted Bulk job unless the cursor field changed or a full refresh was asked', () => {
    const bulk = {
      jobId: '750000000000001AAA',
      locator: 'abc',
      windowEnd: '2026-12-01T09:00:00Z',
      purpose: 'rows' as const,
    };
    expect(planCollection(leads, LEAD, { cursorField: 'SystemModstamp', bulk }, RUN).resume).to.deep.equal(bulk);
    expect(planCollection(leads, LEAD, { cursorField: 'CreatedDate', bulk }, RUN).resume).to.equal(undefined);
  });
});
