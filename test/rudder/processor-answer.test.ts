// The processor transform's answer (POST /v0/destinations/:dest): what rudder-server's processor
// reads back from each item, whichever way the item was decided.
import { expect } from 'chai';
import request from 'supertest';
import { toRecordId18 } from '../../src/salesforce/record-id.js';
import { identify, startApps, type Apps } from './apps.js';
import { destination, job } from './rudder-server-sim.js';

describe('POST /v0/destinations/salesforce: the processor items', function () {
  let apps: Apps;
  before(async () => {
    apps = await startApps();
  });
  after(() => apps?.close());

  const byLeadId = (email: string, id: string) => ({
    ...identify(email),
    context: { ...(identify(email).context as object), externalId: [{ type: 'Salesforce-Lead', id }] },
  });

  it("echoes each job's metadata as sent, less its secret, on 200, 298, 400 and 500 items", async () => {
    const token = apps.emulator.state.issueToken();
    const secret = { access_token: token.access_token, instance_url: token.instance_url };
    const dest = destination('SALESFORCE_OAUTH', {});
    const lead = toRecordId18('00Q000000000042');
    const jobs = [
      job(1, byLeadId('a@example.com', lead), dest, { secret, messageId: 'm-1' }),
      // The same Lead: written by job 1's request, answered 298.
      job(2, byLeadId('b@example.com', lead), dest, { secret, messageId: 'm-2' }),
      job(3, identify(''), dest, { secret, messageId: 'm-3' }),
      job(4, identify('d@example.com'), dest, { secret: { access_token: 'no instance' }, messageId: 'm-4' }),
      job(5, byLeadId('e@example.com', toRecordId18('00Q000000000043')), dest, {
        secret,
        messageId: 'm-5 ü "q"',
        nested: { list: [1, { a: null }] },
      }),
    ];
    const res = await request(apps.direct).post('/v0/destinations/salesforce').send(jobs);
    expect(res.status).to.equal(200);
    const items = res.body as Array<{ metadata: Record<string, unknown>; statusCode: number }>;
    expect(items.map((i) => [i.metadata.jobId, i.statusCode])).to.deep.equal([
      [1, 200],
      [2, 298],
      [3, 400],
      [4, 500],
      [5, 200],
    ]);
    for (const [k, item] of items.entries()) {
      const { secret: _secret, ...sent } = jobs[k].metadata;
      // In the order sent, every key but the secret.
      expect(JSON.stringify(item.metadata)).to.equal(JSON.stringify(sent));
    }
    expect(JSON.stringify(items.map((i) => i.metadata))).not.to.include(token.access_token);
  });
});
