// Hostile mapping folders: FIFOs, devices, loops, dangling links, alias bombs and huge files are each
// one problem naming the file; the good files still load, in the server, in sfmap validate and on
// hot reload.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCommand } from '../../src/cli/validate-command.js';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { formatProblem } from '../../src/mapping/problem.js';
import { MAX_MAPPING_FILE_BYTES } from '../../src/mapping/regular-file.js';
import { bufferIo, scratchMappings } from '../cli/buffer-io.js';

/** The YAML "billion laughs": each alias doubles the one before. */
export const ALIAS_BOMB = [
  'name: bomb',
  'when: type = "identify"',
  'a: &a ["x","x"]',
  ...Array.from({ length: 30 }, (_, i) => {
    const prev = i === 0 ? 'a' : `a${i - 1}`;
    return `a${i}: &a${i} [*${prev}, *${prev}, *${prev}, *${prev}]`;
  }),
].join('\n');

describe('hostile mapping folders', () => {
  let dir: string;
  const sf = (name: string) => join(dir, 'salesforce', name);
  beforeEach(() => {
    dir = scratchMappings();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const plant = () => {
    execFileSync('mkfifo', [sf('fifo.yaml')]);
    symlinkSync('/dev/zero', sf('zero.yaml'));
    symlinkSync(sf('loop-b.yaml'), sf('loop-a.yaml'));
    symlinkSync(sf('loop-a.yaml'), sf('loop-b.yaml'));
    symlinkSync(sf('missing.yaml'), sf('dangling.yaml'));
    symlinkSync(dir, sf('cycle')); // a folder link back to the top
    writeFileSync(sf('bomb.yaml'), ALIAS_BOMB);
    writeFileSync(sf('huge.yaml'), `name: huge\ndescription: "${'x'.repeat(MAX_MAPPING_FILE_BYTES)}"\n`);
    execFileSync('mkfifo', [join(dir, 'salesforce', 'objects', 'Pipe.yaml')]);
  };

  it('the store loads the good rules and names each odd file, without hanging', function () {
    this.timeout(10_000);
    plant();
    const store = new MappingStore(dir);
    const report = store.load();
    const lines = report.problems.map(formatProblem).map((l) => l.replace(dir + '/', ''));
    const has = (re: RegExp) =>
      expect(
        lines.some((l) => re.test(l)),
        `${re} in:\n${lines.join('\n')}`,
      ).to.equal(true);
    has(/^salesforce\/fifo\.yaml:1:1: not a regular file$/);
    has(/^salesforce\/zero\.yaml:1:1: not a regular file$/);
    has(/^salesforce\/loop-a\.yaml:1:1: not a regular file \(a symlink loop\)$/);
    has(/^salesforce\/dangling\.yaml:1:1: not a regular file \(a dangling link\?\)$/);
    has(/^salesforce\/bomb\.yaml:1:1: YAML: .*alias/i);
    has(/^salesforce\/huge\.yaml:1:1: larger than \d+ bytes$/);
    has(/^salesforce\/objects\/Pipe\.yaml:1:1: not a regular file$/);
    expect(store.current.byName.has('lead')).to.equal(true);
    expect(store.current.catalog.has('Lead')).to.equal(true);
  });

  it('sfmap validate reports every odd file and every other problem, no stack trace', function () {
    this.timeout(10_000);
    plant();
    writeFileSync(
      sf('typo.yaml'),
      'name: typo\nwhen: type = "identify"\nobject: Lead\noperation: create\nfields:\n  Titel: $traits.title\n',
    );
    const { io, out, err } = bufferIo();
    expect(validateCommand({ dir }, io)).to.equal(1);
    const text = out.join('\n');
    for (const f of ['fifo', 'zero', 'loop-a', 'dangling', 'bomb', 'huge', 'typo'])
      expect(text).to.include(`salesforce/${f}.yaml:`);
    expect(text + err.join('\n')).not.to.match(/\n\s+at /);
  });

  it('a server starts with the good files when one file is an alias bomb', () => {
    writeFileSync(sf('bomb.yaml'), ALIAS_BOMB);
    const store = new MappingStore(dir);
    expect(() => store.load()).not.to.throw();
    expect(store.problems.map(formatProblem).join('\n')).to.match(/bomb\.yaml:1:1: YAML:/);
    expect(store.current.rules.length).to.be.greaterThan(3);
  });

  it('a reload that brings a bad file lists it in problems and keeps the rest serving', () => {
    const store = new MappingStore(dir);
    store.load();
    const before = store.current.rules.length;
    writeFileSync(sf('bomb.yaml'), ALIAS_BOMB);
    execFileSync('mkfifo', [sf('fifo.yaml')]);
    store.load();
    const text = store.problems.map(formatProblem).join('\n');
    expect(text).to.match(/bomb\.yaml:1:1: YAML:/);
    expect(text).to.match(/fifo\.yaml:1:1: not a regular file/);
    expect(store.current.rules.length).to.equal(before);
  });
});
