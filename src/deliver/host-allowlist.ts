// Instance and login URLs arrive in request payloads; without this check a caller could make the
// server send an access token (or a username and password) to any host it names. Matching is done
// on the host the URL parser extracts — never a regex over the URL — so userinfo tricks
// (https://login.salesforce.com@evil.io) and lookalikes (salesforce.com.evil.io) fail.

/**
 * Salesforce's own domains (subdomains only): orgs (`*.my.salesforce.com`, login, test), Lightning
 * and legacy instances (`*.force.com`, `*.cloudforce.com`), Government Cloud Plus (`*.salesforce.mil`),
 * Sites and setup domains, and the Alibaba-operated China instances.
 */
const SALESFORCE_DOMAINS: readonly string[] = [
  'salesforce.com',
  'force.com',
  'cloudforce.com',
  'salesforce.mil',
  'salesforce-sites.com',
  'salesforce-setup.com',
  'sfcrmapps.cn',
  'sfcrmproducts.cn',
];

export type HostCheck = { ok: true; url: URL } | { ok: false; reason: string };

export class HostAllowlist {
  private readonly extra: ReadonlySet<string>;

  /** `extraHosts`: exact hosts, optionally with `:port` (ALLOWED_SALESFORCE_HOSTS). */
  constructor(extraHosts: Iterable<string> = []) {
    this.extra = new Set([...extraHosts].map((h) => h.trim().toLowerCase()).filter((h) => h.length > 0));
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): HostAllowlist {
    return new HostAllowlist((env.ALLOWED_SALESFORCE_HOSTS ?? '').split(','));
  }

  /** Whether the server may send credentials to `raw`; `what` names the URL in the refusal ("instance URL"). */
  check(raw: string, what = 'URL'): HostCheck {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { ok: false, reason: `${what} is not a valid URL` };
    }
    const host = url.hostname.toLowerCase();
    const refuse = (why: string): HostCheck => ({
      ok: false,
      reason: `${what} host "${host}" refused: ${why} (the operator can allow it with ALLOWED_SALESFORCE_HOSTS)`,
    });
    if (url.username !== '' || url.password !== '')
      return { ok: false, reason: `${what} must not contain user information` };
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse(`scheme ${url.protocol} is not https`);

    const allowedExtra = this.extra.has(url.host.toLowerCase()) || this.extra.has(host);
    if (url.protocol === 'http:') {
      // Plain HTTP would put a bearer token on the wire; only a process on this machine may have it.
      if (!isLoopback(host)) return refuse('plain http is only allowed for loopback hosts');
      if (!allowedExtra) return refuse('not in ALLOWED_SALESFORCE_HOSTS');
      return { ok: true, url };
    }
    if (allowedExtra) return { ok: true, url };
    // Salesforce hosts use the default https port; another port on a Salesforce name is not Salesforce's API.
    if (url.port !== '') return refuse(`port ${url.port} is not allowed`);
    if (!isSalesforceHost(host)) return refuse('not a Salesforce domain');
    return { ok: true, url };
  }
}

function isSalesforceHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return SALESFORCE_DOMAINS.some((d) => host.endsWith(`.${d}`) && host.length > d.length + 1);
}

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  // The URL parser has already normalised 127.1, 0x7f.1, 2130706433 … to dotted quads.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
