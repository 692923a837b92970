// The product's object metadata (mappings/salesforce/objects) checked against the emulated org's
// own definition (src/emulator/org/source-objects.ts, written after Salesforce's describe output),
// so a wrong description in the product shows up here instead of agreeing with itself end to end
// (issue 13 item 6). The org's definition is trimmed to what a sync meets and has no org features
// (person accounts, state/country picklists, multi-currency): a field it lacks is not checked, a
// field both describe must agree.
import { expect } from 'chai';
import { sourceObjects } from '../../src/emulator/org/source-objects.js';
import { loadObjectCatalog } from '../../src/salesforce/object-catalog.js';

const LENGTH_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist']);

describe("emulator: the product's object metadata against the org's own definition", () => {
  const org = new Map(sourceObjects().map((o) => [o.name, o]));
  const catalog = loadObjectCatalog();

  it('every object the org defines has the key prefix the product expects', () => {
    const checked = [...catalog.values()].filter((m) => org.has(m.name));
    expect(checked.map((m) => m.name)).to.include.members(['Account', 'Contact', 'Lead', 'Case', 'Opportunity']);
    for (const meta of checked) expect(org.get(meta.name)!.keyPrefix, meta.name).to.equal(meta.keyPrefix);
  });

  it('every field both describe has the same type, length, read-only flag and External ID flag', () => {
    const problems: string[] = [];
    let compared = 0;
    for (const meta of catalog.values()) {
      const own = org.get(meta.name);
      if (!own) continue;
      for (const f of Object.values(meta.fields)) {
        const o = own.fields[f.name];
        if (!o) continue;
        compared++;
        const at = `${meta.name}.${f.name}`;
        if (o.type !== f.type) problems.push(`${at}: product says ${f.type}, the org ${o.type}`);
        if ((o.readOnly ?? false) !== (f.readOnly ?? false)) problems.push(`${at}: product readOnly ${f.readOnly ?? false}, the org ${o.readOnly ?? false}`);
        if (LENGTH_TYPES.has(f.type) && f.length !== undefined && o.length !== f.length) problems.push(`${at}: product length ${f.length}, the org ${o.length}`);
        // The product's externalId also covers idLookup fields (Email, CaseNumber); the org marks only External IDs.
        if (o.externalId && !f.externalId) problems.push(`${at}: the org says External ID, the product does not`);
      }
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
    expect(compared).to.be.greaterThan(100);
  });
});
