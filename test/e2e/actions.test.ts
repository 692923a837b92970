// End to end for custom actions (issue 4): the example mappings under mappings/salesforce/examples,
// selected by destination.Config.mappings, create / update / upsert / delete Cases, Opportunities
// and custom-object records in the emulated org: events → POST /transform → POST /proxy → records.
import { expect } from 'chai';
import request from 'supertest';
import type { EmulatorStats, ObjectDefinition } from '../../src/emulator/emulator.js';
import { startHarness, type Harness } from './harness.js';

// What the org would have predefined (seed 002: "Custom fields must be predefined in your Salesforce
// account"): the custom fields and objects the example mappings write.
const ORG_OBJECTS: ObjectDefinition[] = [
  { name: 'Case', fields: { Product__c: { type: 'string', length: 255 } } },
  { name: 'Contact', fields: { UserId__c: { type: 'string', length: 64 } } },
  { name: 'Opportunity', fields: { External_Id__c: { type: 'string', length: 64, externalId: true } } },
  {
    name: 'Subscription__c',
    fields: {
      Subscription_Key__c: { type: 'string', length: 64 },
      Plan__c: { type: 'string', length: 40 },
      Seats__c: { type: 'double' },
      Active__c: { type: 'boolean' },
      Email__c: { type: 'email', length: 80 },
    },
  },
  {
    name: 'Web_Visit__c',
    fields: {
      Url__c: { type: 'url', length: 255 },
      Path__c: { type: 'string', length: 255 },
      Title__c: { type: 'string', length: 255 },
      Referrer__c: { type: 'url', length: 255 },
      Visitor__c: { type: 'string', length: 64 },
      Visited_At__c: { type: 'datetime' },
    },
  },
];

const SF = { Salesforce: true };
const track = (event: string, properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event,
  userId: 'u-1',
  properties,
  integrations: SF,
  ...extra,
});

describe('e2e: custom actions (example mappings) → /transform → /proxy → emulated org', function () {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ emulator: { objects: ORG_OBJECTS } });
  });
  afterEach(() => h.close());

  /** Records of the object that are not in the recycle bin. */
  const live = (object: string) => h.records(object).filter((r) => r.IsDeleted !== true);
  const isDeleted = (object: string, id: string) => h.emulator.state.get(object, id)?.IsDeleted === true;

  /** The harness destination (emulator credentials) with these rules selected. */
  // replace: these tests pin what each example rule does on its own (mappings otherwise add to the shipped rules).
  const using = (...mappings: unknown[]) => ({
    Config: { ...h.destination.Config, mappings, mappingsMode: 'replace' },
  });

  describe('Case', () => {
    it('seed 001: track "Issue Submitted" creates a Case with Priority, SuppliedEmail and Product__c', async () => {
      const [out] = await h.deliver(
        [
          track('Issue Submitted', {
            priority: 'High',
            email: 'peter.gibbons@example.com',
            productName: 'TPS Report Cover Sheet',
          }),
        ],
        using('issue-submitted-case'),
      );
      expect(out.statusCode, out.error).to.equal(200);
      expect(out.results).to.have.length(1);
      expect(out.results![0]).to.include({ object: 'Case', created: true });
      const cases = live('Case');
      expect(cases).to.have.length(1);
      expect(cases[0]).to.include({
        Id: out.results![0].id,
        Priority: 'High',
        SuppliedEmail: 'peter.gibbons@example.com',
        Product__c: 'TPS Report Cover Sheet',
      });
    });

    it('update by Id changes only the mapped fields; delete by Id removes the Case; a second delete finds nothing (400)', async () => {
      const [seeded] = h.emulator.state.seed('Case', [{ Subject: 'Stapler missing', Status: 'New', Priority: 'Low' }]);
      const id = seeded.Id;

      const [updated] = await h.deliver(
        [track('Issue Updated', { caseId: id, status: 'Escalated', priority: 'High' })],
        using('case-update-by-id'),
      );
      expect(updated.statusCode, updated.error).to.equal(200);
      expect(updated.results).to.deep.equal([{ object: 'Case', id, created: false }]);
      expect(h.emulator.state.get('Case', id)).to.include({
        Subject: 'Stapler missing',
        Status: 'Escalated',
        Priority: 'High',
      });

      const [deleted] = await h.deliver([track('Issue Withdrawn', { caseId: id })], using('case-delete-by-id'));
      expect(deleted.statusCode, deleted.error).to.equal(200);
      expect(isDeleted('Case', id)).to.equal(true);
      expect(live('Case')).to.have.length(0);

      const [again] = await h.deliver([track('Issue Withdrawn', { caseId: id })], using('case-delete-by-id'));
      expect(again, JSON.stringify(again)).to.include({ statusCode: 400, errorCode: 'ENTITY_IS_DELETED' });
    });

    it('upsert with AND matchers (inline rule): the first event creates the Case, the second updates the same one', async () => {
      const rule = {
        name: 'case-upsert',
        when: 'type = "track" and event = "Issue Reported"',
        object: 'Case',
        operation: 'upsert',
        matchOperator: 'AND',
        match: { SuppliedEmail: 'properties.email', Subject: 'properties.subject' },
        fields: { SuppliedEmail: 'properties.email', Subject: 'properties.subject', Priority: 'properties.priority' },
      };
      const [first] = await h.deliver(
        [track('Issue Reported', { email: 'milton@initech.example', subject: 'Stapler', priority: 'Low' })],
        using(rule),
      );
      expect(first.statusCode, first.error).to.equal(200);
      expect(first.results![0]).to.include({ object: 'Case', created: true });
      // Same email, other subject: AND does not match the first Case, so this is a second Case.
      const [other] = await h.deliver(
        [track('Issue Reported', { email: 'milton@initech.example', subject: 'Basement', priority: 'Low' })],
        using(rule),
      );
      expect(other.results![0]).to.include({ created: true });
      const [second] = await h.deliver(
        [track('Issue Reported', { email: 'milton@initech.example', subject: 'Stapler', priority: 'High' })],
        using(rule),
      );
      expect(second.results).to.deep.equal([{ object: 'Case', id: first.results![0].id, created: false }]);

      const cases = live('Case');
      expect(cases).to.have.length(2);
      expect(h.emulator.state.get('Case', first.results![0].id)).to.include({ Subject: 'Stapler', Priority: 'High' });
      expect(h.emulator.state.get('Case', other.results![0].id)).to.include({ Subject: 'Basement', Priority: 'Low' });
    });
  });

  describe('Opportunity', () => {
    it('create (actions-opportunity): CloseDate is stored as the day, Amount as a number', async () => {
      const [out] = await h.deliver(
        [
          track('Deal Created', {
            closeDate: '2024-03-05T10:00:00Z',
            name: 'Initech renewal',
            stage: 'Prospecting',
            amount: '125000',
            description: 'Three-year renewal',
          }),
        ],
        using('actions-opportunity'),
      );
      expect(out.statusCode, out.error).to.equal(200);
      const opps = live('Opportunity');
      expect(opps).to.have.length(1);
      expect(opps[0]).to.include({
        Name: 'Initech renewal',
        StageName: 'Prospecting',
        CloseDate: '2024-03-05',
        Amount: 125000,
        Description: 'Three-year renewal',
      });
    });

    it('update with AccountId AND Name changes only the Opportunity of that Account', async () => {
      const [initech, initrode] = h.emulator.state.seed('Account', [{ Name: 'Initech' }, { Name: 'Initrode' }]);
      const [ours, theirs] = h.emulator.state.seed('Opportunity', [
        { Name: 'Renewal', StageName: 'Prospecting', CloseDate: '2024-06-30', AccountId: initech.Id },
        { Name: 'Renewal', StageName: 'Prospecting', CloseDate: '2024-06-30', AccountId: initrode.Id },
      ]);
      const [out] = await h.deliver(
        [track('Deal Stage Changed', { accountId: initech.Id, name: 'Renewal', stage: 'Closed Won', amount: 130000 })],
        using('opportunity-stage-by-account-and-name'),
      );
      expect(out.statusCode, out.error).to.equal(200);
      expect(out.results).to.deep.equal([{ object: 'Opportunity', id: ours.Id, created: false }]);
      expect(h.emulator.state.get('Opportunity', ours.Id)).to.include({ StageName: 'Closed Won', Amount: 130000 });
      expect(h.emulator.state.get('Opportunity', theirs.Id)).to.include({ StageName: 'Prospecting' });
      expect(h.emulator.state.get('Opportunity', theirs.Id)).not.to.have.property('Amount');
    });

    it('update when nothing matches: nothing created, the event is skipped (sync mode update: "Segment does nothing if the record doesn\'t exist")', async () => {
      const [out] = await h.deliver(
        [track('Deal Stage Changed', { accountId: '001000000000001AAA', name: 'Nope', stage: 'Closed Lost' })],
        using('opportunity-stage-by-account-and-name'),
      );
      expect(out, JSON.stringify(out)).to.include({ statusCode: 200 });
      expect(out.skipped?.[0]).to.include({ object: 'Opportunity', code: 'NO_RECORD' });
      expect(live('Opportunity')).to.have.length(0);
    });

    it('native upsert by External_Id__c (a key with "/" and a space): created once, then updated, no lookup query', async () => {
      const order = (total: number) =>
        track('Order Completed', { orderId: 'ORD/2024 17', total, completedAt: '2024-04-01' });
      const [created] = await h.deliver([order(99.5)], using('order-external-id'));
      expect(created.statusCode, created.error).to.equal(200);
      expect(created.results![0]).to.include({ object: 'Opportunity', created: true });
      const queriesBefore = h.emulator.state.getStats();
      const [updated] = await h.deliver([order(120)], using('order-external-id'));
      expect(updated.results).to.deep.equal([{ object: 'Opportunity', id: created.results![0].id, created: false }]);

      const opps = live('Opportunity');
      expect(opps).to.have.length(1);
      expect(opps[0]).to.include({
        External_Id__c: 'ORD/2024 17',
        Name: 'Order ORD/2024 17',
        StageName: 'Closed Won',
        CloseDate: '2024-04-01',
        Amount: 120,
      });
      const queriesAfter = h.emulator.state.getStats();
      expect(queriesAfter.apiCalls).to.equal(queriesBefore.apiCalls + 1);
      expect(queryCount(queriesAfter)).to.equal(queryCount(queriesBefore));
    });

    it('delete by matcher (inline rule, syncMode delete) removes the Opportunity with that external id', async () => {
      const [keep, gone] = h.emulator.state.seed('Opportunity', [
        { Name: 'Keep', StageName: 'Prospecting', CloseDate: '2024-06-30', External_Id__c: 'K-1' },
        { Name: 'Gone', StageName: 'Prospecting', CloseDate: '2024-06-30', External_Id__c: 'G-1' },
      ]);
      const rule = {
        name: 'order-cancelled',
        when: 'event = "Order Cancelled"',
        object: 'Opportunity',
        syncMode: 'delete',
        match: { External_Id__c: 'properties.orderId' },
      };
      const [out] = await h.deliver([track('Order Cancelled', { orderId: 'G-1' })], using(rule));
      expect(out.statusCode, out.error).to.equal(200);
      expect(isDeleted('Opportunity', gone.Id)).to.equal(true);
      expect(h.emulator.state.get('Opportunity', keep.Id)).to.include({ Name: 'Keep', IsDeleted: false });
    });
  });

  describe('custom object', () => {
    it('upsert Subscription__c (actions-custom-object): created, then the same record updated; false and 0 are stored', async () => {
      const change = (props: Record<string, unknown>) =>
        track('Subscription Changed', { subscriptionId: 'sub_9f2', email: 'bill@initech.example', ...props });
      const [created] = await h.deliver(
        [change({ plan: 'Team', seats: 5, active: true })],
        using('actions-custom-object'),
      );
      expect(created.statusCode, created.error).to.equal(200);
      expect(created.results![0]).to.include({ object: 'Subscription__c', created: true });
      const [updated] = await h.deliver(
        [change({ plan: 'Team', seats: 0, active: false })],
        using('actions-custom-object'),
      );
      expect(updated.results).to.deep.equal([
        { object: 'Subscription__c', id: created.results![0].id, created: false },
      ]);

      const subs = live('Subscription__c');
      expect(subs).to.have.length(1);
      expect(subs[0]).to.include({
        Subscription_Key__c: 'sub_9f2',
        Plan__c: 'Team',
        Seats__c: 0,
        Active__c: false,
        Email__c: 'bill@initech.example',
      });
    });

    it('update (inline syncMode update) and delete (record event) on the custom object', async () => {
      const [sub] = h.emulator.state.seed('Subscription__c', [
        { Subscription_Key__c: 'sub_1', Plan__c: 'Team', Seats__c: 5 },
      ]);
      const rule = {
        name: 'seats',
        when: 'event = "Seats Changed"',
        object: 'Subscription__c',
        syncMode: 'update',
        match: { Subscription_Key__c: 'properties.subscriptionId' },
        fields: { Seats__c: 'properties.seats' },
      };
      const [updated] = await h.deliver([track('Seats Changed', { subscriptionId: 'sub_1', seats: 12 })], using(rule));
      expect(updated.statusCode, updated.error).to.equal(200);
      expect(h.emulator.state.get('Subscription__c', sub.Id)).to.include({ Plan__c: 'Team', Seats__c: 12 });

      // A warehouse delete (type: record) named by the custom key, through the shipped record-delete rule.
      const [deleted] = await h.deliver([
        {
          type: 'record',
          action: 'delete',
          fields: {},
          context: {
            externalId: [{ type: 'SALESFORCE-Subscription__c', id: 'sub_1', identifierType: 'Subscription_Key__c' }],
          },
        },
      ]);
      expect(deleted.statusCode, deleted.error).to.equal(200);
      expect(isDeleted('Subscription__c', sub.Id)).to.equal(true);
      expect(live('Subscription__c')).to.have.length(0);
    });

    it('page → create Web_Visit__c when page-web-visit is selected; without it page is filtered (298) and nothing is written', async () => {
      const page = {
        type: 'page',
        name: 'Pricing',
        anonymousId: 'anon-42',
        timestamp: '2024-03-05T17:45:00-08:00',
        integrations: SF,
        properties: {
          url: 'https://initech.example/pricing',
          path: '/pricing',
          title: 'Pricing',
          referrer: 'https://search.example/',
        },
      };
      const [out] = await h.deliver([page], using('page-web-visit'));
      expect(out.statusCode, out.error).to.equal(200);
      const visits = live('Web_Visit__c');
      expect(visits).to.have.length(1);
      expect(visits[0]).to.include({
        Url__c: 'https://initech.example/pricing',
        Path__c: '/pricing',
        Visitor__c: 'anon-42',
      });
      expect(String(visits[0].Visited_At__c)).to.match(/^2024-03-06T01:45:00/);

      const res = await request(h.app)
        .post('/transform')
        .send([{ message: page, metadata: { jobId: 99 }, destination: h.destination }]);
      expect(res.body[0]).to.include({ statusCode: 298 });
      expect(live('Web_Visit__c')).to.have.length(1);
    });

    it('two records match the matcher: 400 aborted, neither is changed (seed 002 "If multiple records are found, no changes will be made")', async () => {
      h.emulator.state.seed('Subscription__c', [
        { Subscription_Key__c: 'dup', Plan__c: 'A' },
        { Subscription_Key__c: 'dup', Plan__c: 'B' },
      ]);
      const [out] = await h.deliver(
        [track('Subscription Changed', { subscriptionId: 'dup', plan: 'C' })],
        using('actions-custom-object'),
      );
      expect(out).to.include({ statusCode: 400, errorCode: 'MULTIPLE_RECORDS_MATCH' });
      expect(
        live('Subscription__c')
          .map((r) => r.Plan__c)
          .sort(),
      ).to.deep.equal(['A', 'B']);
    });
  });

  describe('seed 001 upsert action', () => {
    const identify = (traits: Record<string, unknown>) => ({
      type: 'identify',
      userId: 'YOUR_USERS_ID',
      traits,
      integrations: SF,
    });

    it('identify → no Contact has UserId__c = userId: one is created with LastName "n/a" and the UserId__c', async () => {
      const [created] = await h.deliver(
        [identify({ email: 'peter.gibbons@example.com', phone: '570-690-4150' })],
        using('contact-by-user-id'),
      );
      expect(created.statusCode, created.error).to.equal(200);
      expect(created.results![0]).to.include({ object: 'Contact', created: true });
      expect(live('Contact')).to.have.length(1);
      expect(live('Contact')[0]).to.include({
        LastName: 'n/a',
        UserId__c: 'YOUR_USERS_ID',
        Email: 'peter.gibbons@example.com',
        Phone: '570-690-4150',
      });
    });

    it('identify → the Contact with that UserId__c gets Email and Phone; its real LastName is never replaced by "n/a"', async () => {
      const [peter, other] = h.emulator.state.seed('Contact', [
        { LastName: 'Gibbons', UserId__c: 'YOUR_USERS_ID', Email: 'old@example.com' },
        { LastName: 'Bolton', UserId__c: 'someone-else', Email: 'michael@initech.example' },
      ]);
      const [updated] = await h.deliver(
        [identify({ email: 'peter@initech.example', phone: '570-690-0000' })],
        using('contact-by-user-id'),
      );
      expect(updated.results).to.deep.equal([{ object: 'Contact', id: peter.Id, created: false }]);
      expect(live('Contact')).to.have.length(2);
      expect(h.emulator.state.get('Contact', peter.Id)).to.include({
        LastName: 'Gibbons',
        Email: 'peter@initech.example',
        Phone: '570-690-0000',
      });
      expect(h.emulator.state.get('Contact', other.Id)).to.include({
        LastName: 'Bolton',
        Email: 'michael@initech.example',
      });
    });
  });
});

/** SOQL queries the emulator has answered (each is one API call against the daily limit). */
function queryCount(stats: EmulatorStats): number {
  return Object.entries(stats.byPath)
    .filter(([route]) => /\bquery\b/.test(route))
    .reduce((n, [, v]) => n + v, 0);
}
