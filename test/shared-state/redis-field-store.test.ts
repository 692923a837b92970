// With REDIS_URL, an org's field list described by one process serves the others until its TTL;
// a forced refresh (a field deleted since) replaces it for all; Redis gone → each process describes.
import { expect } from 'chai';
import { OrgFieldCache } from '../../src/deliver/org-field-cache.js';
import type { SalesforceClient, SfRequest, SfResponse } from '../../src/deliver/salesforce-client.js';
import { createLogger } from '../../src/server/logger.js';
import { RedisFieldStore } from '../../src/shared-state/redis-field-store.js';
import { RedisLink } from '../../src/shared-state/redis-link.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const logger = createLogger('silent');

class DescribingClient implements SalesforceClient {
  readonly apiVersion = '66.0';
  readonly instanceUrl = 'https://acme.my.salesforce.com';
  calls = 0;
  fields = ['Id', 'Email', 'Foo__c'];
  async request(_req: SfRequest): Promise<SfResponse> {
    this.calls++;
    return {
      status: 200,
      headers: {},
      body: {
        name: 'Lead',
        keyPrefix: '00Q',
        fields: this.fields.map((name) => ({ name, type: 'string', createable: true })),
      },
    };
  }
}

describe('Redis field store (org fields shared by processes)', () => {
  let redis: TestRedis;
  const links: RedisLink[] = [];
  const cache = async (): Promise<OrgFieldCache> => {
    const link = new RedisLink(redis.url, logger);
    links.push(link);
    expect(await link.ready(5000)).to.equal(true);
    return new OrgFieldCache({ shared: new RedisFieldStore(link), minRefreshMs: 0 });
  };

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await Promise.all(links.splice(0).map((l) => l.close()));
    await redis?.stop();
  });

  it('one process describes, the others read its list; a forced refresh is seen by a process that starts afterwards', async () => {
    const client = new DescribingClient();
    const [a, b] = await Promise.all([cache(), cache()]);
    expect([...((await a.fields(client, 'Lead')) ?? [])]).to.include('foo__c');
    expect([...((await b.fields(client, 'Lead')) ?? [])]).to.include('foo__c');
    expect(client.calls).to.equal(1);
    client.fields = ['Id', 'Email'];
    expect((await a.refresh(client, 'Lead'))?.has('foo__c')).to.equal(false);
    const c = await cache();
    expect((await c.fields(client, 'Lead'))?.has('foo__c')).to.equal(false);
    expect(client.calls).to.equal(2);
  });

  it('Redis gone: each process describes for itself', async () => {
    const client = new DescribingClient();
    const link = new RedisLink('redis://127.0.0.1:1', logger);
    links.push(link);
    const lonely = new OrgFieldCache({ shared: new RedisFieldStore(link) });
    expect((await lonely.fields(client, 'Lead'))?.has('foo__c')).to.equal(true);
    expect(client.calls).to.equal(1);
  });
});
