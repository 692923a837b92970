// Token requests are the one place a flood of events turns into a flood of logins: a wrong
// password would be tried again by every batch of the same destination, and a burst of new
// destinations would open a login per destination at once. Refused logins are remembered briefly
// (per credentials key, in this process), and token requests per login host are capped.
import { LRUCache } from 'lru-cache';

const loginLimits = {
  /** How long a refused username/password is answered from memory instead of asking Salesforce. */
  rememberMs: Number(process.env.FAILED_LOGIN_MEMORY_MS ?? 60_000),
  /** Token requests in flight per login host. */
  perHost: Math.max(1, Number(process.env.MAX_CONCURRENT_LOGINS ?? 4)),
};

export class LoginGuard {
  private readonly refused = new LRUCache<string, Error>({
    max: 10_000,
    ttl: loginLimits.rememberMs,
    ttlAutopurge: false,
  });
  private readonly hosts = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(private readonly limits = loginLimits) {}

  /**
   * Runs `login` for credentials `key` against `loginUrl`: a refusal remembered for `key` is thrown
   * again without a request; `isRefusal(err)` says which failures are remembered (bad credentials,
   * not timeouts).
   */
  async run<T>(
    key: string,
    loginUrl: string,
    login: () => Promise<T>,
    isRefusal: (err: unknown) => boolean,
  ): Promise<T> {
    const remembered = this.refused.get(key);
    if (remembered) throw remembered;
    const host = hostOf(loginUrl);
    await this.acquire(host);
    try {
      return await login();
    } catch (err) {
      if (isRefusal(err) && err instanceof Error) {
        const seconds = Math.round(this.limits.rememberMs / 1000);
        const again = Object.assign(Object.create(Object.getPrototypeOf(err) as object) as Error, err, {
          message: `${err.message} (remembered for ${seconds} s: not tried again against Salesforce until then)`,
        });
        this.refused.set(key, again, { ttl: this.limits.rememberMs });
      }
      throw err;
    } finally {
      this.release(host);
    }
  }

  private acquire(host: string): Promise<void> {
    let h = this.hosts.get(host);
    if (!h) {
      h = { running: 0, waiting: [] };
      this.hosts.set(host, h);
    }
    if (h.running < this.limits.perHost) {
      h.running++;
      return Promise.resolve();
    }
    const slot = h;
    return new Promise((resolve) => slot.waiting.push(() => resolve()));
  }

  private release(host: string): void {
    const h = this.hosts.get(host);
    if (!h) return;
    const next = h.waiting.shift();
    if (next)
      next(); // the slot passes on: running stays the same
    else if (--h.running === 0) this.hosts.delete(host);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}
