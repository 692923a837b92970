// Record matchers on date, datetime, number-into-text and boolean fields, delivered through
// /proxy's batched lookups against the emulator (issue 13 "Done means", issue 10 item 10). The
// literal's form follows the field's type, not the JSON value's: `Birthdate IN (1815-12-10)`,
// never `IN ('1815-12-10')`, which Salesforce refuses.
import { expect } from 'chai';
import { identify, startHarness, type Harness } from './harness.js';

describe('e2e: typed lookup literals through /proxy', function () {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  const using = (rule: object) => ({ Config: { ...h.destination.Config, mappings: [rule], mappingsMode: 'replace' } });
  const contactRule = (match: Record<string, string>, extra: object = {}) => ({
    name: 'contact-by-typed-field',
    when: 'type = "identify"',
    object: 'Contact',
    operation: 'upsert',
    match,
    fields: { Title: '$traits.title', LastName: '$traits.lastName' },
    ...extra,
  });

  it('a date matcher: the found Contact is updated, an unknown day creates one (the SOQL is in test/fixtures/plan/lookups-typed-literals.json)', async () => {
    const [ada] = h.emulator.state.seed('Contact', [{ LastName: 'Lovelace', Birthdate: '1815-12-10' }]);
    const out = await h.deliver(
      [
        identify({ birthday: '1815-12-10', title: 'Countess', lastName: 'Lovelace' }),
        identify({ birthday: '1906-12-09', title: 'Rear Admiral', lastName: 'Hopper' }),
      ],
      using(contactRule({ Birthdate: '$traits.birthday' })),
    );
    expect(
      out.map((o) => o.statusCode),
      JSON.stringify(out),
    ).to.deep.equal([200, 200]);
    expect(out[0].results).to.deep.equal([{ object: 'Contact', id: ada.Id, created: false }]);
    expect(out[1].results![0].created).to.equal(true);
    expect(h.emulator.state.get('Contact', ada.Id)).to.include({ Title: 'Countess' });
  });

  it('a datetime matcher finds the record at the same instant written in another zone', async () => {
    const [c] = h.emulator.state.seed('Contact', [
      { LastName: 'Bounced', EmailBouncedDate: '2024-05-01T10:00:00.000Z' },
    ]);
    const [out] = await h.deliver(
      [identify({ bounced: '2024-05-01T12:00:00+02:00', title: 'Seen' })],
      using(contactRule({ EmailBouncedDate: '$traits.bounced' })),
    );
    expect(out.statusCode, out.error).to.equal(200);
    expect(out.results).to.deep.equal([{ object: 'Contact', id: c.Id, created: false }]);
  });

  it('a JSON-number id against a text field is quoted, and the found record is recognised', async () => {
    const [c] = h.emulator.state.seed('Contact', [{ LastName: 'Warehouse', Department: '813' }]);
    // As a router or an older transformer may send it: the matcher value is the JSON number 813.
    const items = await h.transform(
      [identify({ dept: 813, title: 'From the warehouse' })],
      using(contactRule({ Department: '$traits.dept' })),
    );
    const ops = items[0].output as Array<{ match: { fields: Record<string, unknown> } }>;
    ops[0].match.fields.Department = 813;
    const [out] = await h.proxy(items);
    expect(out.statusCode, out.error).to.equal(200);
    expect(out.results).to.deep.equal([{ object: 'Contact', id: c.Id, created: false }]);
    expect(h.records('Contact')).to.have.length(1);
  });

  it('a boolean matcher (sent as "true") is bare, AND with a name: it finds the one that does not want calls', async () => {
    const [quiet] = h.emulator.state.seed('Contact', [
      { LastName: 'Twin', DoNotCall: true },
      { LastName: 'Twin', DoNotCall: false },
    ]);
    const items = await h.transform(
      [identify({ lastName: 'Twin', doNotCall: true, title: 'Quiet one' })],
      using(contactRule({ LastName: '$traits.lastName', DoNotCall: '$traits.doNotCall' }, { matchOperator: 'AND' })),
    );
    // As another transformer may send it: the boolean as the text "true".
    (items[0].output as Array<{ match: { fields: Record<string, unknown> } }>)[0].match.fields.DoNotCall = 'true';
    const [out] = await h.proxy(items);
    expect(out.statusCode, out.error).to.equal(200);
    expect(out.results).to.deep.equal([{ object: 'Contact', id: quiet.Id, created: false }]);
  });
});
