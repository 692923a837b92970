import { expect } from 'chai';
import { HostAllowlist } from '../../src/deliver/host-allowlist.js';

describe('host allowlist', () => {
  const none = new HostAllowlist();

  for (const url of [
    'https://acme.my.salesforce.com',
    'https://login.salesforce.com/',
    'https://test.salesforce.com',
    'https://ACME--uat.sandbox.my.salesforce.com',
    'https://acme.lightning.force.com',
    'https://na1.cloudforce.com',
    'https://acme.my.salesforce.mil',
    'https://acme.my.salesforce-sites.com',
    'https://acme.my.salesforce-setup.com',
    'https://acme.my.sfcrmproducts.cn',
    'https://acme.sfcrmapps.cn',
  ]) {
    it(`allows ${url}`, () => expect(none.check(url).ok).to.equal(true));
  }

  const refused: Array<[string, RegExp]> = [
    ['https://salesforce.com.evil.io', /"salesforce\.com\.evil\.io".*not a Salesforce domain/],
    ['https://evilsalesforce.com', /not a Salesforce domain/],
    ['https://my-salesforce.com', /not a Salesforce domain/],
    ['https://salesforce.com', /not a Salesforce domain/],
    ['https://login.salesforce.com@evil.io', /user information/],
    ['https://user:pw@acme.my.salesforce.com', /user information/],
    ['https://evil.io#@login.salesforce.com', /"evil\.io"/],
    ['https://evil.io\\@login.salesforce.com', /"evil\.io"/],
    ['https://evil.io/.salesforce.com', /"evil\.io"/],
    ['https://evil.io?x=.salesforce.com', /"evil\.io"/],
    ['http://acme.my.salesforce.com', /plain http/],
    ['https://acme.my.salesforce.com:8443', /port 8443/],
    ['ftp://acme.my.salesforce.com', /scheme ftp:/],
    ['javascript:alert(1)//.salesforce.com', /scheme/],
    ['not a url', /not a valid URL/],
    ['http://127.0.0.1:8080', /ALLOWED_SALESFORCE_HOSTS/],
  ];
  for (const [url, why] of refused) {
    it(`refuses ${url}`, () => {
      const r = none.check(url, 'instance URL');
      expect(r.ok).to.equal(false);
      if (!r.ok) expect(r.reason).to.match(why);
    });
  }

  it('the refusal names the host and the setting that allows it', () => {
    const r = none.check('https://evil.io/services', 'instance URL');
    expect(r).to.deep.equal({
      ok: false,
      reason:
        'instance URL host "evil.io" refused: not a Salesforce domain (the operator can allow it with ALLOWED_SALESFORCE_HOSTS)',
    });
  });

  describe('ALLOWED_SALESFORCE_HOSTS', () => {
    const list = HostAllowlist.fromEnv({
      ALLOWED_SALESFORCE_HOSTS: ' 127.0.0.1 , sf.internal.example:8443,localhost:9000, ::1 ,, sfproxy.example ',
    });

    it('allows a loopback emulator over plain http, any port', () => {
      expect(list.check('http://127.0.0.1:54321').ok).to.equal(true);
      expect(list.check('http://localhost:9000').ok).to.equal(true);
    });
    it('host:port entries allow only that port', () => {
      expect(list.check('https://sf.internal.example:8443').ok).to.equal(true);
      expect(list.check('https://sf.internal.example').ok).to.equal(false);
      expect(list.check('http://localhost:9001').ok).to.equal(false);
    });
    it('an exact host is not a suffix: subdomains and lookalikes stay refused', () => {
      expect(list.check('https://sfproxy.example').ok).to.equal(true);
      expect(list.check('https://a.sfproxy.example').ok).to.equal(false);
      expect(list.check('https://sfproxy.example.evil.io').ok).to.equal(false);
    });
    it('plain http stays loopback-only even for a listed host', () => {
      expect(list.check('http://sfproxy.example').ok).to.equal(false);
    });
    it('other 127/8 spellings are loopback but still need listing', () => {
      expect(list.check('http://127.1:5000').ok).to.equal(true); // the parser normalises 127.1 to 127.0.0.1
      expect(list.check('http://127.0.0.2:5000').ok).to.equal(false);
      expect(new HostAllowlist(['127.0.0.2']).check('http://127.0.0.2:5000').ok).to.equal(true);
    });
    it('the Salesforce domains stay allowed', () => {
      expect(list.check('https://acme.my.salesforce.com').ok).to.equal(true);
    });
  });
});
