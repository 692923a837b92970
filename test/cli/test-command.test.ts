// sfmap test: golden fixtures with a readable diff per failure, `N passed, M failed`, --update.
import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testCommand } from '../../src/cli/test-command.js';
import { bufferIo, scratchMappings, SHIPPED_MAPPINGS } from './buffer-io.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/transform/', import.meta.url));

describe('sfmap test', () => {
  let fixtures: string;
  let mappings: string;
  beforeEach(() => {
    fixtures = mkdtempSync(join(tmpdir(), 'sfmap-fixtures-'));
    for (const n of ['001-seed001-peter-gibbons-flat', '004-seed001-teemo-billing']) {
      for (const ext of ['input', 'expected'])
        cpSync(join(FIXTURES, `${n}.${ext}.json`), join(fixtures, `${n}.${ext}.json`));
    }
    mappings = scratchMappings();
  });
  afterEach(() => {
    rmSync(fixtures, { recursive: true, force: true });
    rmSync(mappings, { recursive: true, force: true });
  });

  it("passes the repository's own fixtures", async () => {
    const { io, out } = bufferIo();
    expect(await testCommand({ fixtures: FIXTURES, mappings: SHIPPED_MAPPINGS }, io)).to.equal(0);
    expect(out.at(-1)).to.match(/^\d+ passed, 0 failed$/);
  });

  it('shows a diff for a changed mapping, fails with exit 1, and --update makes it pass', async () => {
    const lead = join(mappings, 'salesforce/lead.yaml');
    writeFileSync(
      lead,
      readFileSync(lead, 'utf8').replace('  Title: $traits.title', '  Title: $uppercase($traits.title)'),
    );
    const { io, out } = bufferIo();
    expect(await testCommand({ fixtures, mappings }, io)).to.equal(1);
    const text = out.join('\n');
    expect(text).to.match(/FAIL {2}001-seed001-peter-gibbons-flat/);
    expect(text).to.match(/ok {4}004-seed001-teemo-billing/);
    expect(text).to.match(/- +"Title": "VP of Derp",/);
    expect(text).to.match(/\+ +"Title": "VP OF DERP",/);
    expect(out.at(-1)).to.equal('1 passed, 1 failed');

    const up = bufferIo();
    expect(await testCommand({ fixtures, mappings, update: true }, up.io)).to.equal(0);
    expect(up.out.join('\n')).to.match(/updated 001-seed001-peter-gibbons-flat/);
    expect(up.out.at(-1)).to.equal('2 passed, 0 failed');
    expect(readFileSync(join(fixtures, '001-seed001-peter-gibbons-flat.expected.json'), 'utf8')).to.include(
      '"VP OF DERP"',
    );

    const again = bufferIo();
    expect(await testCommand({ fixtures, mappings }, again.io)).to.equal(0);
    expect(again.out.at(-1)).to.equal('2 passed, 0 failed');
  });

  it('a case without an expected file fails until --update writes it', async () => {
    writeFileSync(
      join(fixtures, 'new.input.json'),
      JSON.stringify([
        { message: { type: 'identify', traits: { email: 'a@example.com' }, integrations: { Salesforce: true } } },
      ]),
    );
    const { io, out } = bufferIo();
    expect(await testCommand({ fixtures, mappings }, io)).to.equal(1);
    expect(out.join('\n')).to.match(/new\.expected\.json is missing/);
    expect(out.at(-1)).to.equal('2 passed, 1 failed');
    const up = bufferIo();
    await testCommand({ fixtures, mappings, update: true }, up.io);
    expect(JSON.parse(readFileSync(join(fixtures, 'new.expected.json'), 'utf8'))[0].statusCode).to.equal(200);
  });

  it('a broken mapping file is reported and fails the run', async () => {
    writeFileSync(join(mappings, 'salesforce/oops.yaml'), 'name: oops\nwhen: type = \n');
    const { io, err, out } = bufferIo();
    expect(await testCommand({ fixtures, mappings }, io)).to.equal(1);
    expect(err.join('\n')).to.match(/oops\.yaml:\d+:\d+: /);
    expect(out.at(-1)).to.equal('2 passed, 0 failed');
  });
});
