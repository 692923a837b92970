// Sync mode add through the executor when Salesforce refuses the merged create: the events are
// replayed one by one, and an add whose earlier sibling failed creates the record itself (the
// identifier did not exist), while one whose sibling created it skips (RECORD_EXISTS).
import { expect } from 'chai';
import { executeEvents } from '../../src/deliver/execute.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import type { Operation } from '../../src/operation/operation.js';
import { emulatorClient } from './emulator-client.js';

/** What lead-add-by-email (syncMode add, match Email) produces. */
const add = (email: string, title: string): { operations: Operation[] } => ({
  operations: [
    {
      mapping: 'lead-add-by-email',
      object: 'Lead',
      operation: 'create',
      match: { operator: 'OR', fields: { Email: email } },
      fields: { LastName: 'L', Company: 'C', Title: title },
      createFields: { Email: email },
      http: [],
    },
  ],
});

describe('executeEvents: sync mode add when the merged create is refused', function () {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ seed: 3 });
  });
  after(() => emulator.close());
  beforeEach(() => emulator.state.reset());

  it('the refused first add fails alone; the second, replayed, creates the Lead with its own fields', async () => {
    emulator.state.addRecordFault({ object: 'Lead', field: 'Title', value: 'bad', statusCode: 'STRING_TOO_LONG' });
    const out = await executeEvents(
      [add('x@example.com', 'bad'), add('x@example.com', 'good'), add('x@example.com', 'third')],
      emulatorClient(emulator),
    );
    expect(out[0]).to.deep.include({ statusCode: 400, errorCode: 'STRING_TOO_LONG' });
    const leads = emulator.state.list('Lead').filter((r) => r.Email === 'x@example.com');
    expect(leads).to.have.length(1);
    expect(leads[0].Title).to.equal('good');
    expect(out[1]).to.deep.include({ statusCode: 200, results: [{ object: 'Lead', id: leads[0].Id, created: true }] });
    expect(out[2].statusCode).to.equal(200);
    expect(out[2].results).to.deep.equal([]);
    expect(out[2].skipped?.[0]).to.include({ code: 'RECORD_EXISTS', id: leads[0].Id });
  });
});
