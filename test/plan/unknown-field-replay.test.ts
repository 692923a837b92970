// After Salesforce refuses a whole call for one record's unknown field, only the operations that
// can succeed the second time are delivered again: the neighbours that never wrote the field, and
// dropping operations whose field the org, described again, no longer has. The e2e behaviour is
// pinned in test/e2e/unknown-fields.test.ts; these are the decisions, without a server.
import { expect } from 'chai';
import type { PlannedEvent } from '../../src/plan/delivery-planner.js';
import { refsToRedeliver, replayEvents, triageUnknownFields } from '../../src/plan/unknown-field-replay.js';
import type { Operation } from '../../src/operation/operation.js';

const lead = (fields: Operation['fields']): Operation => ({
  mapping: 'lead',
  object: 'Lead',
  operation: 'create',
  fields,
  http: [],
});

// Three events: a dropping one writing Gone__c, a strict one writing Gone__c, and a neighbour that
// writes only standard fields (two operations, to show grouping).
const EVENTS: PlannedEvent[] = [
  { operations: [lead({ LastName: 'a', Gone__c: 1 })], unknownFields: 'drop' },
  { operations: [lead({ LastName: 'b', GONE__C: 2 })], unknownFields: 'fail' },
  { operations: [lead({ LastName: 'c' }), lead({ LastName: 'd' })], unknownFields: 'drop' },
];
// Every operation of the call was refused naming the field, as Salesforce does.
const ALL_REFUSED = ['Gone__c', 'Gone__c', 'Gone__c', 'Gone__c'];

describe('plan/unknown-field-replay', () => {
  it('decides nothing, and indexes nothing, when no refusal names a field', () => {
    expect(triageUnknownFields(EVENTS, [undefined, undefined, undefined, undefined], true)).to.equal(undefined);
  });

  it('neighbours are innocent; a dropping writer of the field is stale; a strict writer keeps its refusal', () => {
    const triage = triageUnknownFields(EVENTS, ALL_REFUSED, true);
    expect(triage?.innocent).to.deep.equal([2, 3]);
    expect([...(triage?.stale ?? [])]).to.deep.equal([[0, 'gone__c']]);
  });

  it('without a way to describe the org again nothing is stale, but neighbours are still innocent', () => {
    const triage = triageUnknownFields(EVENTS, ALL_REFUSED, false);
    expect(triage?.innocent).to.deep.equal([2, 3]);
    expect(triage?.stale.size).to.equal(0);
  });

  it('a refusal naming a field no operation writes (a standard field Salesforce refused) is left alone', () => {
    const triage = triageUnknownFields(EVENTS, ['Birthdate', undefined, 'Birthdate', undefined], true);
    expect(triage?.innocent).to.deep.equal([]);
    expect(triage?.stale.size).to.equal(0);
  });

  it('a stale write is sent again only when the list described again lacks the field, or could not be read', () => {
    const triage = triageUnknownFields(EVENTS, ALL_REFUSED, true)!;
    expect(refsToRedeliver(triage, [new Set(['lastname', 'gone__c'])])).to.deep.equal([2, 3]);
    expect(refsToRedeliver(triage, [new Set(['lastname'])])).to.deep.equal([0, 2, 3]);
    expect(refsToRedeliver(triage, [undefined])).to.deep.equal([0, 2, 3]);
  });

  it("the second delivery keeps each event's operations together, with its policy, and maps back by ref", () => {
    const replay = replayEvents(EVENTS, [0, 2, 3]);
    expect(replay.refsOf).to.deep.equal([0, 2, 3]);
    expect(replay.events.map((e) => [e.unknownFields, e.operations?.map((op) => op.fields.LastName)])).to.deep.equal([
      ['drop', ['a']],
      ['drop', ['c', 'd']],
    ]);
  });
});
