// Seed 002's sync modes end to end (issue 10 items 12 and 13): events → POST /transform → POST /proxy
// → the emulated org. Add creates only when no record has the identifier and skips quietly when one
// does; update and delete that find no record "do nothing" for Actions-style rules (skipped, 200),
// while a rule may say whenNotFound: fail, and the classic rules keep failing (400 NOT_FOUND).
import { expect } from 'chai';
import request from 'supertest';
import { startHarness, type Harness } from './harness.js';

// Seed 002, "Sync modes", verbatim.
const ADD =
  "Add: Add a new record when the specified identifier doesn't exist. If it does exist, Segment skips the record.";
const UPDATE =
  "Update: Update a record if a match with the specified identifier is found. Segment does nothing if the record doesn't exist.";

const signedUp = (email: string, lastName: string) => ({
  type: 'track',
  event: 'Signed Up',
  userId: email,
  properties: { email, lastName, company: 'Initech' },
});

describe('e2e: sync modes add / update / delete (seed 002)', function () {
  let h: Harness;
  beforeEach(async () => {
    // The org's custom object for feedback-add (seed 002: custom fields must be predefined).
    const feedback = {
      name: 'Feedback__c',
      fields: {
        Score__c: { type: 'double' },
        Comment__c: { type: 'string', length: 255 },
        Submitted_By__c: { type: 'string', length: 64 },
      },
    } as const;
    h = await startHarness({ emulator: { objects: [feedback] } });
  });
  afterEach(() => h.close());

  const live = (object: string) => h.records(object).filter((r) => r.IsDeleted !== true);
  const using = (...mappings: unknown[]) => ({
    Config: { ...h.destination.Config, mappings, mappingsMode: 'replace' },
  });

  describe(ADD, () => {
    it('creates the Lead when no Lead has the email, then skips the next event for it, naming the found Id', async () => {
      const [first] = await h.deliver([signedUp('milton@example.com', 'Waddams')], using('lead-add-by-email'));
      expect(first.statusCode, first.error).to.equal(200);
      expect(first.results).to.have.length(1);
      expect(first.results![0]).to.include({ object: 'Lead', created: true });
      const id = first.results![0].id;
      expect(live('Lead')).to.have.length(1);
      // The identifier is written on the Lead it creates, so the next add finds it.
      expect(live('Lead')[0]).to.include({ Email: 'milton@example.com', LastName: 'Waddams', LeadSource: 'Web' });

      const [again] = await h.deliver([signedUp('milton@example.com', 'Changed')], using('lead-add-by-email'));
      expect(again.statusCode, again.error).to.equal(200);
      expect(again.results).to.deep.equal([]);
      expect(again.skipped).to.have.length(1);
      expect(again.skipped![0]).to.include({ object: 'Lead', code: 'RECORD_EXISTS', id });
      expect(live('Lead')).to.have.length(1);
      expect(live('Lead')[0]).to.include({ LastName: 'Waddams' }); // left untouched
    });

    it('two events of one batch for the same absent email create one Lead; the second is skipped with its Id', async () => {
      const out = await h.deliver(
        [
          signedUp('bob@example.com', 'Slydell'),
          signedUp('BOB@example.com', 'Porter'),
          signedUp('other@example.com', 'Other'),
        ],
        using('lead-add-by-email'),
      );
      expect(
        out.map((o) => o.statusCode),
        JSON.stringify(out),
      ).to.deep.equal([200, 200, 200]);
      const leads = live('Lead');
      expect(leads).to.have.length(2);
      const bob = leads.find((l) => String(l.Email).toLowerCase() === 'bob@example.com')!;
      expect(bob).to.include({ LastName: 'Slydell' }); // the second add wrote nothing
      expect(out[0].results).to.deep.equal([{ object: 'Lead', id: bob.Id, created: true }]);
      expect(out[1].results).to.deep.equal([]);
      expect(out[1].skipped).to.have.length(1);
      expect(out[1].skipped![0]).to.include({ object: 'Lead', code: 'RECORD_EXISTS', id: bob.Id });
      expect(out[2].results![0]).to.include({ object: 'Lead', created: true });
    });

    it('without matchers add is a plain create: every event makes its record', async () => {
      const feedback = {
        type: 'track',
        event: 'Feedback Given',
        userId: 'u-1',
        properties: { score: 5, comment: 'Nice' },
      };
      const out = await h.deliver([feedback, feedback], using('feedback-add'));
      expect(
        out.map((o) => o.statusCode),
        JSON.stringify(out),
      ).to.deep.equal([200, 200]);
      expect(out.every((o) => o.skipped === undefined)).to.equal(true);
      expect(live('Feedback__c')).to.have.length(2);
    });
  });

  describe(UPDATE, () => {
    const phone = (email: string) => ({ type: 'identify', userId: email, traits: { email, phone: '555-0100' } });

    it('an Actions-style update that finds no Contact does nothing: 200, skipped NO_RECORD, no record created', async () => {
      const [out] = await h.deliver([phone('nobody@example.com')], using('contact-phone-update'));
      expect(out.statusCode, out.error).to.equal(200);
      expect(out.errorCode).to.equal(undefined);
      expect(out.results).to.deep.equal([]);
      expect(out.skipped).to.have.length(1);
      expect(out.skipped![0]).to.include({ object: 'Contact', code: 'NO_RECORD' });
      expect(out.skipped![0].message).to.contain('nobody@example.com');
      expect(live('Contact')).to.have.length(0);
    });

    it('the same update still writes the Contact it finds', async () => {
      const [c] = h.emulator.state.seed('Contact', [{ LastName: 'Lumbergh', Email: 'bill@example.com' }]);
      const [out] = await h.deliver([phone('bill@example.com')], using('contact-phone-update'));
      expect(out.statusCode, out.error).to.equal(200);
      expect(out.results).to.deep.equal([{ object: 'Contact', id: c.Id, created: false }]);
      expect(out.skipped).to.equal(undefined);
    });

    it('whenNotFound: fail makes the same miss a 400 NOT_FOUND (never retried)', async () => {
      const rule = {
        name: 'phone-update-strict',
        skipFilters: ['integration-flag'],
        when: 'type = "identify"',
        object: 'Contact',
        syncMode: 'update',
        whenNotFound: 'fail',
        match: { Email: '$traits.email' },
        fields: { Phone: '$traits.phone' },
      };
      const [out] = await h.deliver([phone('nobody@example.com')], using(rule));
      expect(out).to.include({ statusCode: 400, errorCode: 'NOT_FOUND' });
      expect(out.skipped).to.equal(undefined);
    });

    it('a rule written with operation (the classic spelling) keeps failing by default; whenNotFound: skip opts in', async () => {
      const rule = (extra: Record<string, unknown>) => ({
        name: 'classic-update',
        skipFilters: ['integration-flag'],
        when: 'type = "identify"',
        object: 'Contact',
        operation: 'update',
        match: { Email: '$traits.email' },
        fields: { Phone: '$traits.phone' },
        ...extra,
      });
      const [failed] = await h.deliver([phone('nobody@example.com')], using(rule({})));
      expect(failed).to.include({ statusCode: 400, errorCode: 'NOT_FOUND' });
      const [skipped] = await h.deliver([phone('nobody@example.com')], using(rule({ whenNotFound: 'skip' })));
      expect(skipped.statusCode, skipped.error).to.equal(200);
      expect(skipped.skipped![0]).to.include({ code: 'NO_RECORD' });
    });

    it('through rudder-server (direct mode) a job with nothing to send is answered 298 naming the skip, not retried', async () => {
      const res = await request(h.app)
        .post('/routerTransform')
        .send({
          destType: 'salesforce',
          input: [
            {
              message: phone('nobody@example.com'),
              metadata: { jobId: 7 },
              destination: { ID: 'd', Config: using('contact-phone-update').Config },
            },
          ],
        });
      expect(res.status).to.equal(200);
      expect(res.body.output).to.have.length(1);
      expect(res.body.output[0]).to.include({ statusCode: 298 });
      expect(res.body.output[0].error).to.match(/^NO_RECORD: no Contact record matches Email = "nobody@example.com"/);
    });

    it('sync mode delete that finds no Contact is skipped too', async () => {
      const [out] = await h.deliver(
        [{ type: 'track', event: 'User Deleted', userId: 'x', properties: { email: 'ghost@example.com' } }],
        using('contact-delete-by-email'),
      );
      expect(out.statusCode, out.error).to.equal(200);
      expect(out.skipped![0]).to.include({ object: 'Contact', code: 'NO_RECORD' });
    });
  });
});
