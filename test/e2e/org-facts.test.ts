// The emulator's org has its own description of Salesforce (src/emulator/org, from Salesforce's
// describe output) and no longer borrows the product's, so a product description that disagrees
// with Salesforce now fails here, end to end. Each case is a description corrected in issue 13
// item 6 (test/fixtures/transform/183-emu-describe-facts shows the /transform side).
import { expect } from 'chai';
import { startHarness, type Harness } from './harness.js';

describe("e2e: the product's object descriptions against the org's own", function () {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  const using = (rule: object) => ({ Config: { ...h.destination.Config, mappings: [rule], mappingsMode: 'replace' } });
  /** One rule for the tests' track events. */
  const rule = (name: string, object: string, operation: string, fields: object, extra: object = {}) =>
    using({ name, when: 'type = "track"', object, operation, fields, ...extra });
  const track = (event: string, properties: Record<string, unknown>): object => ({
    type: 'track',
    userId: 'u1',
    event,
    properties,
    integrations: { Salesforce: true },
  });

  it('Account.Industry holds 40 characters: the product cuts a longer value, which the org would refuse whole', async () => {
    const industry = 'Industrial Machinery and Precision Tooling Equipment';
    const mapping = rule('account-with-industry', 'Account', 'create', {
      Name: '$properties.name',
      Industry: '$properties.industry',
    });
    const items = await h.transform([track('Signed', { name: 'Acme', industry })], mapping);
    const [out] = await h.proxy(items);
    expect(out.statusCode, out.error).to.equal(200);
    expect(h.records('Account')[0].Industry).to.equal(industry.slice(0, 40));
    // What the product sent when it described Industry as 255 characters: the org says no.
    const untrimmed = structuredClone(items) as Array<{ output: Array<{ fields: Record<string, unknown> }> }>;
    untrimmed[0].output[0].fields.Industry = industry;
    const [refused] = await h.proxy(untrimmed);
    expect(refused.statusCode).to.equal(400);
    expect(refused.error).to.contain('STRING_TOO_LONG');
    expect(h.records('Account')).to.have.length(1);
  });

  it('an all-day Event is created without ActivityDateTime or DurationInMinutes', async () => {
    const mapping = rule('all-day-event', 'Event', 'create', {
      Subject: 'event',
      IsAllDayEvent: true,
      ActivityDate: '$properties.day',
    });
    const [out] = await h.deliver([track('Conference Day', { day: '2024-06-03' })], mapping);
    expect(out.statusCode, out.error).to.equal(200);
    expect(h.records('Event')[0]).to.include({
      Subject: 'Conference Day',
      IsAllDayEvent: true,
      ActivityDate: '2024-06-03',
    });
  });

  it('Opportunity.Name (idLookup) keys a native upsert: the first event creates, the second updates', async () => {
    const mapping = rule(
      'opportunity-by-name',
      'Opportunity',
      'upsert',
      { StageName: '$properties.stage', CloseDate: '$properties.close' },
      { externalId: { field: 'Name', value: '$properties.deal' } },
    );
    const deal = { deal: 'Acme renewal 2025', close: '2025-03-31' };
    const [first] = await h.deliver([track('Deal', { ...deal, stage: 'Prospecting' })], mapping);
    expect(first.statusCode, first.error).to.equal(200);
    const [second] = await h.deliver([track('Deal', { ...deal, stage: 'Closed Won' })], mapping);
    expect(second.statusCode, second.error).to.equal(200);
    expect(h.records('Opportunity').map((o) => [o.Name, o.StageName])).to.deep.equal([
      ['Acme renewal 2025', 'Closed Won'],
    ]);
  });

  it('a create the org refuses for a field it requires is refused with its own words (Lead.Company)', async () => {
    // The product checks Company too; an operation built without the product's check shows the org's.
    const mapping = rule('lead', 'Lead', 'create', { LastName: '$properties.last', Company: '$properties.company' });
    const items = (await h.transform([track('Lead', { last: 'Gibbons', company: 'Initech' })], mapping)) as Array<{
      output: Array<{ fields: Record<string, unknown> }>;
    }>;
    delete items[0].output[0].fields.Company;
    const [out] = await h.proxy(items);
    expect(out.statusCode).to.equal(400);
    expect(out.error).to.contain('REQUIRED_FIELD_MISSING');
    expect(h.records('Lead')).to.have.length(0);
  });
});
