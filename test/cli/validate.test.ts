// sfmap validate: every problem as file:line:col, exit 1 when any; the real binary behaves the same.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { validateCommand } from '../../src/cli/validate-command.js';
import { bufferIo, scratchMappings, SHIPPED_MAPPINGS } from './buffer-io.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

describe('sfmap validate', () => {
  let dir: string;
  beforeEach(() => {
    dir = scratchMappings();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const edit = (rel: string, change: (text: string) => string) => {
    const p = join(dir, rel);
    writeFileSync(p, change(readFileSync(p, 'utf8')));
  };

  it('passes the shipped mappings with a one-line summary and the time it took', () => {
    const { io, out, err } = bufferIo();
    expect(validateCommand({ dir: SHIPPED_MAPPINGS }, io)).to.equal(0);
    expect(err).to.deep.equal([]);
    expect(out).to.have.length(1);
    expect(out[0]).to.match(/^\d+ files, \d+ rules, 0 problems \(\d+ ms\)$/);
  });

  it('reports each kind of mistake at its file, line and column, and exits 1', () => {
    // lead.yaml line 17 is `  FirstName: ...`; line 21 is `  Title: $traits.title`.
    edit('salesforce/lead.yaml', (t) =>
      t
        .replace('  Title: $traits.title', '  Titel: $traits.title')
        .replace('  Phone: $traits.phone', '  Phone: $traits.phone(('),
    );
    writeFileSync(join(dir, 'salesforce/account-copy.yaml'), readFileSync(join(dir, 'salesforce/account.yaml')));
    writeFileSync(
      join(dir, 'salesforce/broken.yaml'),
      'name: broken\nwhen: type = "identify"\nobject: Lead\noperation: upsert\nfields:\n  Email: [unclosed\n',
    );
    writeFileSync(
      join(dir, 'salesforce/readonly.yaml'),
      'name: readonly\nwhen: type = "identify"\nobject: Lead\noperation: create\nfields:\n  IsConverted: "true"\n',
    );
    writeFileSync(
      join(dir, 'salesforce/no-match.yaml'),
      'name: no-match\nwhen: type = "identify"\nobject: Lead\noperation: upsert\nfields:\n  Email: $traits.email\n',
    );
    const { io, out, err } = bufferIo();
    expect(validateCommand({ dir }, io)).to.equal(1);
    const lines = out.map((l) => l.replace(dir + '/', ''));
    const has = (re: RegExp) =>
      expect(
        lines.some((l) => re.test(l)),
        `${re} in:\n${lines.join('\n')}`,
      ).to.equal(true);
    const lineOf = (needle: string) =>
      readFileSync(join(dir, 'salesforce/lead.yaml'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(needle)) + 1;
    has(new RegExp(`^salesforce/lead\\.yaml:${lineOf('Titel:')}:3: .*Titel`));
    has(
      new RegExp(
        `^salesforce/lead\\.yaml:${lineOf('Phone: $traits.phone((')}:\\d+: JSONata syntax error in fields\\.Phone`,
      ),
    );
    has(/^salesforce\/account\.yaml:4:7: rule name "account" is already used by .*account-copy\.yaml/);
    has(/^salesforce\/broken\.yaml:\d+:\d+: YAML: /);
    has(/^salesforce\/readonly\.yaml:6:3: .*IsConverted/);
    has(/^salesforce\/no-match\.yaml:\d+:\d+: .*(match|upsert)/i);
    expect(err.join('\n')).to.match(/\d+ problems \(\d+ ms\)/);
  });

  it('exits 2 for a folder that does not exist', () => {
    const { io, err } = bufferIo();
    expect(validateCommand({ dir: join(dir, 'nope') }, io)).to.equal(2);
    expect(err[0]).to.match(/not a folder of mapping files/);
  });

  it('works as the sfmap binary (npm run sfmap), with $MAPPINGS_DIR and exit codes', async function () {
    this.timeout(30_000);
    const ok = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'validate'], {
      cwd: root,
      env: { ...process.env, MAPPINGS_DIR: dir },
    });
    expect(ok.stdout).to.match(/0 problems/);
    edit('salesforce/contact.yaml', (t) => t.replace('object: Contact', 'object: Contakt'));
    const failed = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'validate', dir], {
      cwd: root,
    }).then(
      () => undefined,
      (e: { code: number; stdout: string }) => e,
    );
    expect(failed?.code).to.equal(1);
    expect(failed?.stdout).to.match(/contact\.yaml:\d+:\d+: .*Contakt/);
  });
});
