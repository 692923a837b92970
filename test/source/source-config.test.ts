// The sync's configuration file: defaults, several sources, secrets from the environment, and every
// problem at file:line:col.
import { expect } from 'chai';
import { loadSyncConfig, parseSyncConfig, SyncConfigError } from '../../src/source/source-config.js';

const problemsOf = (text: string, env: NodeJS.ProcessEnv = {}): string[] => {
  try {
    parseSyncConfig('sync.yaml', text, env);
  } catch (err) {
    if (err instanceof SyncConfigError) return err.message.split('\n');
    throw err;
  }
  return [];
};

describe('source sync config', () => {
  it('reads several sources with defaults: DuckDB at ./data/warehouse.duckdb, every 3 h, 80 % budget, 600 s lookback', () => {
    const config = parseSyncConfig(
      'sync.yaml',
      [
        'sources:',
        '  - nickname: Salesforce',
        '    schema: sfdc_prod',
        '    credentials: { username: a@b.c, password: "${SF_PASSWORD}", securityToken: T }',
        '  - nickname: Sandbox',
        '    schema: sfdc_sandbox',
        '    collections: [leads, contacts]',
        '    customObjects: [Invoice__c]',
        '    credentials: { accessToken: tok, instanceUrl: "https://x.my.salesforce.com" }',
      ].join('\n'),
      { SF_PASSWORD: 's3cret' },
    );
    expect(config.warehouse).to.deep.equal({ type: 'duckdb', path: './data/warehouse.duckdb' });
    expect(config.everyHours).to.equal(3);
    expect(
      config.sources.map((s) => [s.nickname, s.schema, s.credentials.kind, s.budgetShare, s.plan.lookbackSeconds]),
    ).to.deep.equal([
      ['Salesforce', 'sfdc_prod', 'password', 0.8, 600],
      ['Sandbox', 'sfdc_sandbox', 'oauth', 0.8, 600],
    ]);
    expect(config.sources[0].credentials).to.include({ password: 's3cret', loginUrl: 'https://login.salesforce.com' });
  });

  it('places schema problems, unknown collections, missing secrets and duplicate schemas at file:line:col', () => {
    expect(
      problemsOf('sources:\n  - nickname: A\n    schema: Bad-Name\n    credentials: {}\n    colections: []\n'),
    ).to.deep.equal([
      'sync.yaml:3:13: sources.0.schema: must match ^[a-z_][a-z0-9_]{0,62}$',
      'sync.yaml:5:5: sources.0: unknown key "colections"',
    ]);
    expect(
      problemsOf(
        [
          'sources:',
          '  - nickname: A',
          '    schema: s',
          '    collections: [leads, lead]',
          '    credentials: { username: u, password: "${NOPE}" }',
          '  - nickname: B',
          '    schema: s',
          '    credentials: { username: u }',
        ].join('\n'),
      ),
    ).to.deep.equal([
      'sync.yaml:4:26: unknown collection "lead": expected one of the seed\'s collections (accounts, account_contact_roles, account_tags, campaigns, campaign_members, campaign_shares, …) or a configured custom object\'s table',
      'sync.yaml:5:43: environment variable NOPE is not set',
      'sync.yaml:7:13: schema "s" is already used by sources[0]: each source needs its own',
      'sync.yaml:8:18: credentials need username and password (with securityToken, clientId, clientSecret), or accessToken and instanceUrl',
    ]);
    expect(problemsOf('sources: [\n')[0]).to.match(/^sync\.yaml:2:1: YAML: /);
  });
});

describe('source sync config: the shipped example', () => {
  it('examples/source-emulator.yaml loads', () => {
    const config = loadSyncConfig(new URL('../../examples/source-emulator.yaml', import.meta.url).pathname);
    expect(config.sources[0]).to.include({ nickname: 'Emulated org', schema: 'sfdc' });
    expect(config.warehouse).to.deep.equal({ type: 'duckdb', path: './data/warehouse.duckdb' });
  });
});
