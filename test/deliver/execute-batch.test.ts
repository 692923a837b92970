// The batched executor against the emulator: API calls per 1,000 events, and every event's
// outcome checked against the record it produced (nothing lost, nothing doubled).
import { expect } from 'chai';
import { executeEvents, type EventOutcome } from '../../src/deliver/execute.js';
import { startEmulator, type RunningEmulator, type StoredRecord } from '../../src/emulator/emulator.js';
import type { Operation } from '../../src/operation/operation.js';
import { emulatorClient } from './emulator-client.js';

/** What the shipped lead mapping produces for an identify with this email. */
export function identify(
  email: string,
  fields: Record<string, string | number | boolean | null> = {},
): { operations: Operation[] } {
  return {
    operations: [
      {
        mapping: 'lead',
        object: 'Lead',
        operation: 'upsert',
        match: { operator: 'OR', fields: { Email: email } },
        fields: { Email: email, ...fields },
        createFields: { LastName: 'n/a', Company: 'n/a' },
        follow: {
          when: 'IsConverted',
          idField: 'ConvertedContactId',
          object: 'Contact',
          fields: { Email: email, ...fields },
        },
        http: [],
      },
    ],
  };
}

const live = (records: StoredRecord[]): StoredRecord[] => records.filter((r) => r.IsDeleted !== true);
const byEmail = (records: StoredRecord[], email: string): StoredRecord[] =>
  live(records).filter((r) => String(r.Email ?? '').toLowerCase() === email.toLowerCase());

describe('executeEvents: batches against the emulator', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ seed: 7 });
  });
  after(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    emulator.state.reset();
  });

  const calls = (): number => emulator.state.getStats().apiCalls;

  it('1,000 new leads: ≤ 20 calls, one lead per email, defaults only on create', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => identify(`new${i}@example.com`, { FirstName: `F${i}` }));
    const out = await executeEvents(events, emulatorClient(emulator));
    expect(calls()).to.be.at.most(20);
    expect(out.every((o) => o.statusCode === 200)).to.equal(
      true,
      JSON.stringify(out.find((o) => o.statusCode !== 200)),
    );
    const leads = live(emulator.state.list('Lead'));
    expect(leads).to.have.length(1000);
    out.forEach((o, i) => {
      expect(o.results).to.have.length(1);
      const result = o.results![0];
      expect(result.created).to.equal(true);
      const stored = emulator.state.get('Lead', result.id)!;
      expect(stored.Email).to.equal(`new${i}@example.com`);
      expect(stored.FirstName).to.equal(`F${i}`);
      expect(stored.Company).to.equal('n/a');
    });
  });

  it('1,000 existing leads (found case-insensitively): ≤ 20 calls, updated in place, real values never overwritten by defaults', async () => {
    emulator.state.seed(
      'Lead',
      Array.from({ length: 1000 }, (_, i) => ({ Email: `Old${i}@Example.com`, LastName: `Real${i}`, Company: 'Acme' })),
    );
    const events = Array.from({ length: 1000 }, (_, i) => identify(`old${i}@example.com`, { Title: `T${i}` }));
    const out = await executeEvents(events, emulatorClient(emulator));
    expect(calls()).to.be.at.most(20);
    expect(live(emulator.state.list('Lead'))).to.have.length(1000);
    out.forEach((o, i) => {
      expect(o.statusCode).to.equal(200);
      const stored = emulator.state.get('Lead', o.results![0].id)!;
      expect(o.results![0].created).to.equal(false);
      expect(stored.Title).to.equal(`T${i}`);
      expect(stored.LastName).to.equal(`Real${i}`);
      expect(stored.Company).to.equal('Acme');
    });
  });

  it('half new, half existing, 10% repeated emails: ≤ 20 calls, never two creates for one new email, later values win', async () => {
    emulator.state.seed(
      'Lead',
      Array.from({ length: 500 }, (_, i) => ({ Email: `old${i}@example.com`, LastName: `Real${i}`, Company: 'Acme' })),
    );
    const events: Array<{ operations: Operation[] }> = [];
    for (let i = 0; i < 900; i++)
      events.push(identify(i % 2 === 0 ? `old${i / 2}@example.com` : `new${i}@example.com`, { Title: `first${i}` }));
    // 100 repeats of emails already in the batch (new and existing), later in the batch, with other values.
    for (let k = 0; k < 100; k++) {
      const i = k * 9;
      events.push(identify(i % 2 === 0 ? `OLD${i / 2}@example.com` : `NEW${i}@example.com`, { Title: `again${i}` }));
    }
    const out = await executeEvents(events, emulatorClient(emulator));
    expect(calls()).to.be.at.most(20);
    expect(out.filter((o) => o.statusCode !== 200)).to.deep.equal([]);
    const leads = emulator.state.list('Lead');
    expect(live(leads)).to.have.length(500 + 450);
    for (let i = 0; i < 900; i++) {
      const email = i % 2 === 0 ? `old${i / 2}@example.com` : `new${i}@example.com`;
      const found = byEmail(leads, email);
      expect(found, email).to.have.length(1);
      const repeated = i % 9 === 0;
      expect(found[0].Title).to.equal(repeated ? `again${i}` : `first${i}`);
      expect(out[i].results![0].id).to.equal(found[0].Id);
      expect(out[i].results![0].created).to.equal(i % 2 === 1);
      if (repeated)
        expect(out[900 + i / 9].results![0]).to.deep.equal({ object: 'Lead', id: found[0].Id, created: false });
    }
  });

  it('per-record failures in a 1,000-event batch: each event gets the outcome of its own record', async () => {
    emulator.state.seed(
      'Lead',
      Array.from({ length: 500 }, (_, i) => ({ Email: `old${i}@example.com`, LastName: `Real${i}`, Company: 'Acme' })),
    );
    const codes = ['REQUIRED_FIELD_MISSING', 'DUPLICATES_DETECTED', 'STRING_TOO_LONG', 'UNABLE_TO_LOCK_ROW'];
    const failing = new Map<string, string>();
    const events: Array<{ operations: Operation[] }> = [];
    for (let i = 0; i < 1000; i++) {
      const email = i % 2 === 0 ? `old${i / 2}@example.com` : `new${i}@example.com`;
      let value = `v${i}`;
      if (i % 50 === 7 || i % 50 === 8) {
        // A fault keyed on the event's own value: only this event's record is refused.
        const code = codes[(i >> 1) % codes.length];
        value = `bad${i}`;
        failing.set(email, code);
        emulator.state.addRecordFault({ object: 'Lead', field: 'Title', value, statusCode: code });
      }
      events.push(identify(email, { Title: value }));
    }
    // A later event for a failing record: merged, its value replaces the refused one, so the one
    // write that lands is what one-by-one delivery would leave behind (event 7's bad Title never
    // reaches the record either way), and both events are reported against that record.
    events.push(identify('new7@example.com', { Title: 'fine-after-bad' }));
    // A later event whose own value is refused, after a good one: replayed alone, the good one lands.
    events.push(identify('new9@example.com', { Title: 'bad-late' }));
    emulator.state.addRecordFault({ object: 'Lead', field: 'Title', value: 'bad-late', statusCode: 'STRING_TOO_LONG' });
    const before = new Map(emulator.state.list('Lead').map((r) => [r.Id, { ...r }]));
    const out = await executeEvents(events, emulatorClient(emulator));
    const leads = emulator.state.list('Lead');
    const check = (o: EventOutcome, email: string, i: number): void => {
      const code = failing.get(email);
      const found = byEmail(leads, email);
      if (email === 'new7@example.com') {
        expect(found).to.have.length(1);
        expect(found[0].Title).to.equal('fine-after-bad');
        expect(o.results).to.deep.equal([{ object: 'Lead', id: found[0].Id, created: true }]);
        return;
      }
      if (code) {
        expect(o.statusCode, `${email} ${code}`).to.equal(code === 'UNABLE_TO_LOCK_ROW' ? 500 : 400);
        expect(o.errorCode).to.equal(code);
        expect(o.results).to.deep.equal([]);
        if (email.startsWith('new')) expect(found, email).to.have.length(0);
        else expect(found[0].Title, email).to.equal(before.get(found[0].Id)?.Title);
      } else {
        expect(o.statusCode, email).to.equal(200);
        expect(found).to.have.length(1);
        expect(found[0].Title).to.equal(`v${i}`);
        expect(o.results![0].id).to.equal(found[0].Id);
      }
    };
    for (let i = 0; i < 1000; i++) check(out[i], i % 2 === 0 ? `old${i / 2}@example.com` : `new${i}@example.com`, i);
    expect(out[1000], JSON.stringify(out[1000])).to.deep.include({ statusCode: 200 });
    expect(out[1000].results![0]).to.deep.equal({
      object: 'Lead',
      id: byEmail(leads, 'new7@example.com')[0].Id,
      created: false,
    });
    // new9: event 9 created the lead with v9; event 1001's refused value failed it alone.
    expect(out[9].statusCode).to.equal(200);
    expect(out[1001]).to.deep.include({ statusCode: 400, errorCode: 'STRING_TOO_LONG' });
    expect(byEmail(leads, 'new9@example.com').map((r) => r.Title)).to.deep.equal(['v9']);
    expect(failing.size).to.equal(40);
    // Nothing doubled: one lead per email, 500 seeded + the new ones that succeeded.
    const newOk = [...Array(500).keys()]
      .map((k) => `new${2 * k + 1}@example.com`)
      .filter((e) => !failing.has(e) || e === 'new7@example.com');
    expect(live(leads)).to.have.length(500 + newOk.length);
    expect(calls()).to.be.at.most(20 + 2 * failing.size);
  });

  it('a converted lead sends the update to its Contact; several matches abort without writing', async () => {
    const [contact] = emulator.state.seed('Contact', [{ LastName: 'Conv', Email: 'conv@example.com' }]);
    emulator.state.seed('Lead', [
      { Email: 'conv@example.com', LastName: 'L', Company: 'C', IsConverted: true, ConvertedContactId: contact.Id },
      { Email: 'twin@example.com', LastName: 'A', Company: 'C' },
      { Email: 'TWIN@example.com', LastName: 'B', Company: 'C' },
    ]);
    const out = await executeEvents(
      [identify('conv@example.com', { Title: 'CTO' }), identify('twin@example.com', { Title: 'x' })],
      emulatorClient(emulator),
    );
    expect(out[0]).to.deep.include({ statusCode: 200 });
    expect(out[0].results).to.deep.equal([{ object: 'Contact', id: contact.Id, created: false }]);
    expect(emulator.state.get('Contact', contact.Id)!.Title).to.equal('CTO');
    expect(out[1].statusCode).to.equal(400);
    expect(out[1].error).to.match(/^2 Lead records match with Email = .*; nothing was written$/);
    expect(
      byEmail(emulator.state.list('Lead'), 'twin@example.com').every((r) => r.Title === undefined || r.Title === null),
    ).to.equal(true);
    expect(calls()).to.equal(2);
  });

  it('long lookup values are split across queries under the URI limit', async () => {
    const long = (i: number): string => `${'x'.repeat(60)}${i}@example.com`;
    emulator.state.seed('Lead', [{ Email: long(3), LastName: 'Seeded', Company: 'C' }]);
    const out = await executeEvents(
      Array.from({ length: 600 }, (_, i) => identify(long(i))),
      emulatorClient(emulator),
    );
    expect(out.every((o) => o.statusCode === 200)).to.equal(true);
    const stats = emulator.state.getStats();
    expect(stats.byPath['GET query'] ?? 0).to.be.greaterThan(1);
    expect(out[3].results![0].created).to.equal(false);
    expect(live(emulator.state.list('Lead'))).to.have.length(600);
  });

  it('an event with two operations is delivered only if both are; a throttled call is reported, not lost', async () => {
    emulator.state.addFault({
      method: 'POST',
      path: 'composite/sobjects',
      kind: 'error',
      status: 403,
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
    });
    const two: { operations: Operation[] } = {
      operations: [
        identify('a@example.com').operations[0],
        { mapping: 'case', object: 'Case', operation: 'create', fields: { Subject: 'hello' }, http: [] },
      ],
    };
    const [out] = await executeEvents([two], emulatorClient(emulator));
    expect(out.statusCode).to.equal(429);
  });
});
