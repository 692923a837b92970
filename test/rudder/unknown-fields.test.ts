// Issue 10 item 7 on the rudder-server routes: both delivery modes share the executor, so an
// unknown custom field is left out there too (proxy mode lists it in the job's answer; direct mode
// hands rudder-server a request without it), with one describe per object.
import { expect } from 'chai';
import { identify, passwordConfig, startApps, type Apps } from './apps.js';
import { deliver, destination, job, routerTransform } from './rudder-server-sim.js';

describe('rudder-server routes: unknown custom fields', function () {
  let apps: Apps;
  before(async () => {
    apps = await startApps();
  });
  after(() => apps?.close());
  beforeEach(() => apps.emulator.state.reset());

  const describes = () => apps.emulator.state.getStats().byPath['GET sobjects/Lead/describe'] ?? 0;

  it('proxy mode: the batched jobs are written without foo__c, each answer lists it, one describe', async () => {
    const dest = destination('SALESFORCE', passwordConfig(), 'dest-unknown-proxy');
    const jobs = Array.from({ length: 5 }, (_, i) =>
      job(1 + i, identify(`p${i}@example.com`, { foo: i, Lead_Score: i }), dest),
    );
    const statuses = await deliver(apps.proxy, await routerTransform(apps.proxy, jobs), 'proxy', 'SALESFORCE');
    expect([...statuses.values()].map((s) => s.statusCode)).to.deep.equal([200, 200, 200, 200, 200]);
    expect(JSON.parse(statuses.get(1)!.body).results[0].droppedFields).to.deep.equal(['foo__c']);
    expect(apps.emulator.state.list('Lead').map((l) => l.Lead_Score__c)).to.have.members([0, 1, 2, 3, 4]);
    expect(describes()).to.equal(1);
  });

  it('direct mode: the concrete request leaves foo__c out; unknownFields "fail" keeps it (and Salesforce refuses it)', async () => {
    const dest = destination('SALESFORCE', passwordConfig(), 'dest-unknown-direct');
    const [out] = await routerTransform(apps.direct, [
      job(1, identify('d@example.com', { foo: 'x', Lead_Score: 2 }), dest),
    ]);
    const body = (out.batchedRequest as { body: { JSON: Record<string, unknown> } }).body.JSON;
    expect(body).to.include({ Email: 'd@example.com', Lead_Score__c: 2 });
    expect(body).not.to.have.property('foo__c');
    expect(describes()).to.equal(1);

    const strict = destination('SALESFORCE', { ...passwordConfig(), unknownFields: 'fail' }, 'dest-unknown-strict');
    const [kept] = await routerTransform(apps.direct, [job(2, identify('s@example.com', { foo: 'x' }), strict)]);
    expect((kept.batchedRequest as { body: { JSON: Record<string, unknown> } }).body.JSON).to.include({ foo__c: 'x' });
    const statuses = await deliver(apps.direct, [kept], 'direct', 'SALESFORCE');
    expect(statuses.get(2)!.statusCode).to.equal(400);
  });
});
