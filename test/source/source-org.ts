// A source org for the sync tests: the emulator on a clock the test moves, seeded with a few records
// in several collections, a custom object, and the sync configuration that points at it.
import { DEFAULT_CLIENT, DEFAULT_USER, startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { parseSyncConfig, type SourceConfig, type SyncConfig } from '../../src/source/source-config.js';
import { Client, V } from '../emulator/client.js';

export const LEADS = 120;

export interface SourceOrg {
  emulator: RunningEmulator;
  api: Client;
  clock: { now: Date; advance(seconds: number): Date };
  /** The config file's text as a person writes it (the CLI's credential names), before parsing. */
  raw(extra?: Record<string, unknown>, warehouse?: unknown): Record<string, unknown>;
  config(extra?: Record<string, unknown>, warehouse?: SyncConfig['warehouse']): SyncConfig;
  source(extra?: Record<string, unknown>): SourceConfig;
  close(): Promise<void>;
}

/** `clock: 'real'` for tests that run the sync in another process. */
export async function startSourceOrg(options: { clock?: 'test' | 'real'; leads?: number } = {}): Promise<SourceOrg> {
  const clock = {
    now: new Date('2026-11-01T00:00:00Z'),
    advance(seconds: number) {
      this.now = new Date(this.now.getTime() + seconds * 1000);
      return this.now;
    },
  };
  const emulator = await startEmulator({
    queryPageSize: 50,
    objects: [{ name: 'Invoice__c', fields: { Amount__c: { type: 'currency' }, Paid__c: { type: 'boolean' } } }],
    ...(options.clock === 'real' ? {} : { now: () => clock.now }),
  });
  const s = emulator.state;
  const [account] = s.seed('Account', [{ Name: 'Acme' }, { Name: 'Globex' }, { Name: 'Initech' }]);
  s.seed('Contact', [
    { LastName: 'Ada', AccountId: account.Id },
    { LastName: 'Bo', AccountId: account.Id },
  ]);
  // Leads changed one second apart over the past minutes, like a real org's (their cursor values differ).
  const n = options.leads ?? LEADS;
  const t0 = options.clock === 'real' ? Date.now() : clock.now.getTime();
  s.seed(
    'Lead',
    Array.from({ length: n }, (_, i) => {
      const stamp = new Date(t0 - (n - i) * 1000).toISOString().replace('Z', '+0000');
      return {
        LastName: `Lead ${i}`,
        Company: `Co ${i % 7}`,
        AnnualRevenue: i * 1000.5,
        NumberOfEmployees: i,
        CreatedDate: stamp,
        LastModifiedDate: stamp,
        SystemModstamp: stamp,
      };
    }),
  );
  s.seed('Invoice__c', [
    { Name: 'INV-1', Amount__c: 12.5, Paid__c: true },
    { Name: 'INV-2', Amount__c: 99 },
  ]);
  const token = s.issueToken().access_token;
  const host = new URL(emulator.url).host;
  const raw = (extra: Record<string, unknown> = {}, warehouse?: unknown) => ({
    ...(warehouse ? { warehouse } : {}),
    sources: [
      {
        nickname: 'Emulated org',
        schema: 'sfdc',
        allowedHosts: [host],
        customObjects: ['Invoice__c'],
        credentials: {
          loginUrl: emulator.url,
          username: DEFAULT_USER.username,
          password: DEFAULT_USER.password,
          securityToken: DEFAULT_USER.securityToken,
          clientId: DEFAULT_CLIENT.clientId,
          clientSecret: DEFAULT_CLIENT.clientSecret,
        },
        ...extra,
      },
    ],
  });
  return {
    emulator,
    api: new Client(emulator.url, token),
    clock,
    raw,
    config: (extra, warehouse) => parseSyncConfig('test.yaml', JSON.stringify(raw(extra, warehouse))),
    source: (extra) => parseSyncConfig('test.yaml', JSON.stringify(raw(extra))).sources[0],
    close: () => emulator.close(),
  };
}

export { V };
