// Describe calls are bounded: one per org and object per TTL, single-flight, a forced refresh at
// most once per minRefreshMs, a failed describe remembered briefly, a bounded number of entries.
import { expect } from 'chai';
import { OrgFieldCache } from '../../src/deliver/org-field-cache.js';
import type { SalesforceClient, SfRequest, SfResponse } from '../../src/deliver/salesforce-client.js';

class DescribingClient implements SalesforceClient {
  readonly apiVersion = '66.0';
  calls: string[] = [];
  status = 200;
  fields = ['Id', 'Email', 'Foo__c'];
  constructor(readonly instanceUrl = 'https://acme.my.salesforce.com') {}
  async request(req: SfRequest): Promise<SfResponse> {
    this.calls.push(req.path);
    await new Promise((r) => setTimeout(r, 5));
    const object = /sobjects\/([^/]+)\/describe$/.exec(req.path)?.[1] ?? '';
    const body = {
      name: object,
      keyPrefix: '00Q',
      fields: this.fields.map((name) => ({ name, type: name === 'Id' ? 'id' : 'string', createable: true })),
    };
    return {
      status: this.status,
      headers: {},
      body: this.status === 200 ? body : [{ errorCode: 'NOT_FOUND', message: 'nope' }],
    };
  }
}

describe('deliver/org-field-cache', () => {
  it('20 concurrent misses make one describe; every caller gets the lower-case field names', async () => {
    const client = new DescribingClient();
    const cache = new OrgFieldCache();
    const sets = await Promise.all(Array.from({ length: 20 }, () => cache.fields(client, 'Lead')));
    expect(client.calls).to.deep.equal(['/services/data/v66.0/sobjects/Lead/describe']);
    for (const s of sets) expect([...(s ?? [])]).to.deep.equal(['id', 'email', 'foo__c']);
  });

  it('keys by org and object; describes again only after the TTL', async () => {
    let now = 0;
    const cache = new OrgFieldCache({ ttlMs: 1000, now: () => now });
    const acme = new DescribingClient();
    const other = new DescribingClient('https://other.my.salesforce.com');
    await cache.fields(acme, 'Lead');
    await cache.fields(acme, 'lead');
    await cache.fields(other, 'Lead');
    await cache.fields(acme, 'Contact');
    expect(acme.calls).to.have.length(2);
    expect(other.calls).to.have.length(1);
    now = 999;
    await cache.fields(acme, 'Lead');
    expect(acme.calls).to.have.length(2);
    now = 1000;
    acme.fields = ['Id', 'Email', 'Foo__c', 'Bar__c'];
    expect((await cache.fields(acme, 'Lead'))?.has('bar__c')).to.equal(true);
    expect(acme.calls).to.have.length(3);
  });

  it('a forced refresh describes again, but not twice within minRefreshMs', async () => {
    let now = 0;
    const cache = new OrgFieldCache({ ttlMs: 3_600_000, minRefreshMs: 60_000, now: () => now });
    const client = new DescribingClient();
    await cache.fields(client, 'Lead');
    now = 30_000;
    await cache.refresh(client, 'Lead');
    expect(client.calls).to.have.length(1);
    now = 61_000;
    client.fields = ['Id', 'Email'];
    expect((await cache.refresh(client, 'Lead'))?.has('foo__c')).to.equal(false);
    await cache.refresh(client, 'Lead');
    expect(client.calls).to.have.length(2);
  });

  it('a failed describe gives no fields (nothing dropped) and is not asked again for failureTtlMs', async () => {
    let now = 0;
    const cache = new OrgFieldCache({ failureTtlMs: 1000, now: () => now });
    const client = new DescribingClient();
    client.status = 404;
    expect(await cache.fields(client, 'Nope__c')).to.equal(undefined);
    expect(await cache.fields(client, 'Nope__c')).to.equal(undefined);
    expect(client.calls).to.have.length(1);
    now = 1000;
    client.status = 200;
    expect(await cache.fields(client, 'Nope__c')).to.not.equal(undefined);
    expect(client.calls).to.have.length(2);
  });

  it('holds at most maxEntries lists, and keeps nothing for a client with no instance URL', async () => {
    const cache = new OrgFieldCache({ maxEntries: 3 });
    const client = new DescribingClient();
    for (let i = 0; i < 10; i++) await cache.fields(client, `O${i}__c`);
    expect(cache.size).to.equal(3);
    const anonymous = new DescribingClient('');
    await cache.fields(anonymous, 'Lead');
    await cache.fields(anonymous, 'Lead');
    expect(anonymous.calls).to.have.length(2);
    expect(cache.size).to.equal(3);
  });
});
