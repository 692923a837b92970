// The product's object metadata (mappings/salesforce/objects) checked against the emulated org's
// own definition (src/emulator/org/source-objects.ts, written after Salesforce's describe output),
// so a wrong description in the product shows up here instead of agreeing with itself end to end
// (issue 13 item 6). The org's definition is trimmed to what a sync meets and has no org features
// (person accounts, state/country picklists, multi-currency): a field it lacks is not checked, a
// field both describe must agree.
import { expect } from 'chai';
import { sourceObjects } from '../../src/emulator/org/source-objects.js';
import { isOrgId, orgId18 } from '../../src/emulator/org/record-ids.js';
import { loadObjectCatalog } from '../../src/salesforce/object-catalog.js';
import { isRecordId, toRecordId18 } from '../../src/salesforce/record-id.js';

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
        if ((o.readOnly ?? false) !== (f.readOnly ?? false))
          problems.push(`${at}: product readOnly ${f.readOnly ?? false}, the org ${o.readOnly ?? false}`);
        if (LENGTH_TYPES.has(f.type) && f.length !== undefined && o.length !== f.length)
          problems.push(`${at}: product length ${f.length}, the org ${o.length}`);
        // The product's externalId also covers idLookup fields (Email, CaseNumber); the org marks only External IDs.
        if (o.externalId && !f.externalId) problems.push(`${at}: the org says External ID, the product does not`);
      }
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
    expect(compared).to.be.greaterThan(100);
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
