// The product's object metadata (mappings/salesforce/objects) checked field by field against the
// emulated org's own definition (src/emulator/org/source-objects.ts, written from Salesforce's
// describe output; sources in src/emulator/org/README.md). The emulator no longer reads the
// product's metadata, so a wrong description in the product makes an end-to-end test fail instead
// of agreeing with itself (issue 13 item 6); this test says which field is wrong before that.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { isCreateable, isUpdateable, isUpsertKey, type FieldMetadata } from '../../src/emulator/org/metadata.js';
import { sourceObjects } from '../../src/emulator/org/source-objects.js';
import { isOrgId, orgId18 } from '../../src/emulator/org/record-ids.js';
import { loadObjectCatalog } from '../../src/salesforce/object-catalog.js';
import type { FieldMetadata as ProductField } from '../../src/salesforce/object-metadata.js';
import { isRecordId, toRecordId18 } from '../../src/salesforce/record-id.js';

const LENGTH_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist']);

/**
 * Fields Salesforce lets a write set in one direction only. The product's `readOnly` cannot say
 * "on create only" or "on update only", so each such field is a choice, pinned here so that a
 * changed description (or a changed org fact) is noticed: true = the product calls it read-only.
 */
const ONE_WAY_CHOICES: Record<string, boolean> = {
  // Create-only. IsConverted is set by convertLead in practice; an upsert updating it would be refused.
  'Lead.IsConverted': true,
  'CampaignMember.CampaignId': false,
  'CampaignMember.LeadId': false,
  'CampaignMember.ContactId': false,
  'AccountContactRole.AccountId': false,
  'CaseComment.ParentId': false,
  'CaseContactRole.CasesId': false,
  'Note.ParentId': false,
  'Opportunity.ContactId': false,
  'OpportunityCompetitor.OpportunityId': false,
  'OpportunityContactRole.OpportunityId': false,
  'OpportunityLineItem.OpportunityId': false,
  'OpportunityLineItem.PricebookEntryId': false,
  'OpportunityLineItem.Product2Id': false,
  'PricebookEntry.Pricebook2Id': false,
  'PricebookEntry.Product2Id': false,
  // Update-only: Salesforce fills them (a bounce, an activation) and lets a later update correct them.
  'Lead.EmailBouncedReason': false,
  'Lead.EmailBouncedDate': false,
  'Order.ActivatedDate': true,
  'Order.ActivatedById': true,
};

/** What the org and the product say differently about one field, as readable lines. */
function disagreements(at: string, p: ProductField, o: FieldMetadata): string[] {
  const out: string[] = [];
  if (o.type !== p.type) out.push(`${at}: product says ${p.type}, the org ${o.type}`);
  if (LENGTH_TYPES.has(p.type) && p.length !== o.length)
    out.push(`${at}: product length ${p.length}, the org ${o.length}`);
  const createable = isCreateable(o);
  const updateable = isUpdateable(o);
  const productReadOnly = p.readOnly ?? false;
  if (createable === updateable) {
    if (productReadOnly !== !createable)
      out.push(`${at}: product readOnly ${productReadOnly}, the org ${createable ? 'writable' : 'read-only'}`);
  } else if (ONE_WAY_CHOICES[at] !== productReadOnly) {
    out.push(
      `${at}: the org says ${createable ? 'create' : 'update'}-only; product readOnly ${productReadOnly}, expected ${ONE_WAY_CHOICES[at]}`,
    );
  }
  if ((p.requiredOnCreate ?? false) !== (o.requiredOnCreate ?? false))
    out.push(`${at}: product requiredOnCreate ${p.requiredOnCreate ?? false}, the org ${o.requiredOnCreate ?? false}`);
  // A required field can never be null, so the org must not call it nillable.
  if (p.requiredOnCreate && o.nillable === true) out.push(`${at}: product requires it, the org says nillable`);
  // The product's externalId is "usable as an upsert key": an External ID or an idLookup field.
  if ((p.externalId ?? false) !== isUpsertKey(o))
    out.push(`${at}: product externalId ${p.externalId ?? false}, the org upsert key ${isUpsertKey(o)}`);
  // The product may list fewer targets (a polymorphic field points to dozens), never a wrong one.
  for (const target of p.referenceTo ?? [])
    if (!(o.referenceTo ?? []).includes(target))
      out.push(`${at}: product says it points to ${target}, the org does not`);
  return out;
}

describe("emulator: the product's object metadata against the org's own definition", () => {
  const org = new Map(sourceObjects().map((o) => [o.name, o]));
  const catalog = loadObjectCatalog();

  it('the org has every object the product describes, with the same key prefix', () => {
    expect(catalog.size).to.be.greaterThan(20);
    for (const meta of catalog.values()) {
      expect(org.has(meta.name), `the org lacks ${meta.name}`).to.equal(true);
      expect(org.get(meta.name)!.keyPrefix, meta.name).to.equal(meta.keyPrefix);
    }
  });

  it('the org has every field the product describes', () => {
    const missing = [...catalog.values()].flatMap((meta) =>
      Object.keys(meta.fields)
        .filter((f) => !org.get(meta.name)?.fields[f])
        .map((f) => `${meta.name}.${f}`),
    );
    expect(missing).to.deep.equal([]);
  });

  it('every field agrees: type, length, writability, required on create, upsert key, targets', () => {
    const problems: string[] = [];
    let compared = 0;
    for (const meta of catalog.values()) {
      const own = org.get(meta.name)!;
      for (const f of Object.values(meta.fields)) {
        compared++;
        problems.push(...disagreements(`${meta.name}.${f.name}`, f, own.fields[f.name]));
      }
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
    expect(compared).to.be.greaterThan(600);
  });

  it('every one-way choice names a field that is one-way in the org', () => {
    for (const at of Object.keys(ONE_WAY_CHOICES)) {
      const [object, field] = at.split('.');
      const f = org.get(object)?.fields[field];
      expect(f, at).to.not.equal(undefined);
      expect(isCreateable(f!) !== isUpdateable(f!), at).to.equal(true);
    }
  });

  it('the comparison fails on a wrong description (a required flag, a length, a read-only field)', () => {
    const lastName = org.get('Lead')!.fields.LastName;
    expect(disagreements('Lead.LastName', { name: 'LastName', type: 'string', length: 80 }, lastName)).to.deep.equal([
      'Lead.LastName: product requiredOnCreate false, the org true',
    ]);
    const type = org.get('Account')!.fields.Type;
    expect(disagreements('Account.Type', { name: 'Type', type: 'picklist', length: 255 }, type)).to.deep.equal([
      'Account.Type: product length 255, the org 40',
    ]);
    const name = org.get('Contact')!.fields.Name;
    expect(disagreements('Contact.Name', { name: 'Name', type: 'string', length: 121 }, name)).to.deep.equal([
      'Contact.Name: product readOnly false, the org read-only',
    ]);
  });

  it('the emulator reads no product metadata: nothing under src/emulator imports it', () => {
    const root = fileURLToPath(new URL('../../src/emulator/', import.meta.url));
    const offenders: string[] = [];
    for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      if (!entry.endsWith('.ts')) continue;
      const text = readFileSync(root + entry, 'utf8');
      if (/from '[./]*salesforce\/object-(catalog|metadata)\.js'|mappings\/salesforce\/objects/.test(text))
        offenders.push(entry);
    }
    expect(offenders).to.deep.equal([]);
  });

  it("the org's own Id rules and the product's agree (documented Ids and 2,000 generated ones)", () => {
    // Salesforce's documented example pair and a few that must fail (wrong case in the suffix, bad length or character).
    expect(orgId18('001A0000006Vm9r')).to.equal('001A0000006Vm9rIAC');
    for (const bad of ['001A0000006Vm9rIAc', '001A0000006Vm9', '001A0000006Vm9r!', '001A0000006Vm9rIA', 42]) {
      expect(isOrgId(bad), String(bad)).to.equal(false);
      expect(isRecordId(bad), String(bad)).to.equal(false);
    }
    const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let seed = 13;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 2000; n++) {
      const id15 = Array.from({ length: 15 }, () => chars[next() % chars.length]).join('');
      expect(orgId18(id15), id15).to.equal(toRecordId18(id15));
      const mangled = orgId18(id15).slice(0, 15) + orgId18(id15).slice(15).toLowerCase();
      expect(isOrgId(mangled), mangled).to.equal(isRecordId(mangled));
    }
  });
});
