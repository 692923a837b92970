// `sfmap source sync|status` as a user meets it: config mistakes at file:line:col, unknown collection
// names refused before any call, and one run's table + JSON line, then the status it left.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { statusCommand, syncCommand } from '../../src/cli/source-command.js';
import { startSourceOrg, type SourceOrg } from '../source/source-org.js';
import { bufferIo } from './buffer-io.js';

describe('sfmap source', function () {
  this.timeout(60_000);
  let dir: string;
  let org: SourceOrg;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sfmap-source-cli-'));
    org = await startSourceOrg({ clock: 'real', leads: 20 });
    await new Promise((r) => setTimeout(r, 1100));
  });
  after(async () => {
    await org.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a broken config file at file:line:col and exits 1', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'sources:\n  - nickname: x\n    schema: sfdc\n    credentials: { username: u, password: p }\n    collections: [leeds]\n',
    );
    const { io, err } = bufferIo();
    expect(await syncCommand({ config: file, once: true }, io)).to.equal(1);
    expect(err.join('\n')).to.match(new RegExp(`^${file}:5:19: unknown collection "leeds"`));
  });

  it('refuses an unknown --collections name before calling Salesforce (exit 2)', async () => {
    const file = join(dir, 'ok.json');
    writeFileSync(
      file,
      JSON.stringify({ sources: [{ nickname: 'x', schema: 'sfdc', credentials: { username: 'u', password: 'p' } }] }),
    );
    const { io, err } = bufferIo();
    expect(await syncCommand({ config: file, once: true, collections: ['lead'] }, io)).to.equal(2);
    expect(err.join('\n')).to.match(/^sfmap: --collections: unknown collection "lead"/);
  });

  it('`source worker` without REDIS_URL says what to set, before reading anything (exit 2)', async () => {
    const { io, err } = bufferIo();
    expect(await syncCommand({ config: join(dir, 'missing.yaml'), worker: true }, io, undefined, {})).to.equal(2);
    expect(err.join('\n')).to.match(/^sfmap: source worker: set REDIS_URL/);
  });

  it("syncs once: a summary table, one JSON line; then status shows each collection's cursor and last run", async () => {
    const file = join(dir, 'emulator.json');
    const config = org.config(
      { collections: ['accounts', 'leads', 'names'] },
      { type: 'duckdb', path: join(dir, 'w.duckdb') },
    );
    writeFileSync(
      file,
      JSON.stringify({
        warehouse: config.warehouse,
        sources: [
          {
            nickname: 'Emulated org',
            schema: 'sfdc',
            allowedHosts: config.sources[0].allowedHosts,
            collections: ['accounts', 'leads', 'names'],
            credentials: {
              loginUrl: org.emulator.url,
              username: 'admin@example.com',
              password: 'pass',
              securityToken: 'TOKEN',
              clientId: 'emulator-client',
              clientSecret: 'emulator-secret',
            },
          },
        ],
      }),
    );
    const { io, out } = bufferIo();
    expect(await syncCommand({ config: file, once: true }, io)).to.equal(0);
    const text = out.join('\n');
    expect(text).to.match(/^leads\s+synced\s+20\s+0\s+1\s+[\d.]+$/m);
    expect(text).to.match(/^names\s+skipped\s+0\s+0\s+0/m);
    const json = JSON.parse(out[out.length - 1]) as {
      level: string;
      calls: number;
      collections: { collection: string; status: string }[];
    };
    expect(json.level).to.equal('info');
    expect(json.collections.map((c) => [c.collection, c.status])).to.deep.equal([
      ['accounts', 'synced'],
      ['leads', 'synced'],
      ['names', 'skipped'],
    ]);

    const status = bufferIo();
    expect(await statusCommand({ config: file }, status.io)).to.equal(0);
    expect(status.out.join('\n')).to.match(
      /^ {2}leads\s+cursor SystemModstamp 20\d\d-[\d-]+T[\d:.]+Z\s+20\d\d-.*20 upserted, 0 deleted, 1 calls$/m,
    );
  });
});
