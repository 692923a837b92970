// Every problem in a mapping file is reported at file:line:col, and a broken file never replaces
// a good one that is already serving.
import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRuleText } from '../../src/mapping/load-rule.js';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { formatProblem } from '../../src/mapping/problem.js';
import { loadObjectCatalog } from '../../src/salesforce/object-catalog.js';

const catalog = loadObjectCatalog();
const problems = (text: string) => loadRuleText('m.yaml', text, catalog).problems.map(formatProblem);

const base = `name: t
when: type = "identify"
object: Lead
operation: upsert
match:
  Email: $traits.email
fields:
  LastName: $traits.lastName
`;

describe('mapping loader: problems at file:line:col', () => {
  it('accepts a valid rule', () => expect(problems(base)).to.deep.equal([]));

  it('YAML syntax', () => {
    expect(problems(base.replace('fields:\n', 'fields:\n  - [unclosed\n'))[0]).to.match(/^m\.yaml:\d+:\d+: YAML: /);
  });

  it('a JSONata syntax error points at the character inside the value', () => {
    const p = problems(base.replace('LastName: $traits.lastName', 'LastName: $coalesce($traits.lastName,'));
    expect(p).to.have.length(1);
    expect(p[0]).to.match(/^m\.yaml:8:\d+: JSONata syntax error in fields\.LastName/);
    const col = Number(/^m\.yaml:8:(\d+)/.exec(p[0])![1]);
    expect(col).to.be.greaterThan(13); // inside the expression, not at the key
  });

  it('an unknown key is placed on the key', () => {
    expect(problems(base + 'feilds:\n  Email: $traits.email\n')).to.deep.equal(['m.yaml:9:1: unknown key "feilds"']);
  });

  it('a misspelt field name suggests the right one', () => {
    expect(problems(base.replace('LastName: $traits.lastName', 'Emial: $traits.email'))).to.deep.equal([
      'm.yaml:8:3: Lead has no field "Emial" (did you mean Email?)',
    ]);
  });

  it('a name longer than an API name can be is refused at load, not on every event', () => {
    const long = `${'A'.repeat(253)}__c`;
    const p = problems(base.replace('LastName: $traits.lastName', `${long}: $traits.x`));
    expect(p).to.deep.equal([
      `m.yaml:8:3: fields: "${long}" is not a Salesforce API name (letters, digits, _; starting with a letter; at most 255 characters)`,
    ]);
    expect(problems(base.replace('LastName: $traits.lastName', `${'A'.repeat(252)}__c: $traits.x`))).to.deep.equal([]);
  });

  it('a read-only field written is refused', () => {
    expect(problems(base.replace('LastName: $traits.lastName', 'IsConverted: true'))).to.deep.equal([
      'm.yaml:8:3: Lead.IsConverted is read-only: Salesforce refuses writes to it',
    ]);
  });

  it('an unknown object is refused with a suggestion', () => {
    expect(problems(base.replace('object: Lead', 'object: Leed'))[0]).to.match(
      /^m\.yaml:3:9: unknown Salesforce object "Leed" \(did you mean Lead\?\)/,
    );
  });

  it('overrideSkip belongs to filters only', () => {
    expect(problems(base + 'overrideSkip: true\n')).to.deep.equal([
      'm.yaml:9:1: "overrideSkip" applies to filters (kind: filter) only',
    ]);
  });

  it('upsert without a way to find the record is a load error', () => {
    expect(problems(base.replace('match:\n  Email: $traits.email\n', ''))).to.deep.equal([
      'm.yaml:4:12: upsert needs a way to find the record: "match" (record matchers), "recordId", "externalId" or "forEachExternalId"',
    ]);
  });

  it('a bad enum value lists the allowed ones', () => {
    expect(problems(base.replace('operation: upsert', 'operation: merge'))).to.deep.equal([
      'm.yaml:4:12: operation: must be one of create, update, upsert, delete',
    ]);
  });

  it('operation and syncMode together are refused; syncMode alone is an alias', () => {
    expect(problems(base.replace('operation: upsert', 'operation: upsert\nsyncMode: add'))[0]).to.match(
      /either "operation" or "syncMode"/,
    );
    const r = loadRuleText('m.yaml', base.replace('operation: upsert', 'syncMode: upsert'), catalog);
    expect(r.rule?.operation).to.equal('upsert');
    expect(
      loadRuleText(
        'm.yaml',
        base.replace('operation: upsert\nmatch:\n  Email: $traits.email\n', 'syncMode: add\n'),
        catalog,
      ).rule?.operation,
    ).to.equal('create');
  });

  it('JSON files are accepted with the same positions', () => {
    const json = JSON.stringify(
      {
        name: 't',
        when: 'type = "identify"',
        object: 'Lead',
        operation: 'upsert',
        match: { Email: '$traits.email' },
        fields: { Emial: 'x' },
      },
      null,
      2,
    );
    expect(loadRuleText('m.json', json, catalog).problems.map(formatProblem)).to.deep.equal([
      'm.json:10:5: Lead has no field "Emial" (did you mean Email?)',
    ]);
  });
});

describe('mapping store: a broken file never replaces a good one', () => {
  const shipped = fileURLToPath(new URL('../../mappings/', import.meta.url));
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mappings-'));
    cpSync(shipped, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps serving the last good version of a file with a typo, and reports the typo', () => {
    const store = new MappingStore(dir);
    expect(store.load().problems).to.deep.equal([]);
    const before = store.current.rules.find((r) => r.rule.name === 'lead')!;
    const file = join(dir, 'salesforce', 'lead.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  Title: $traits.title', '  Titel: $traits.title'));
    const report = store.load();
    expect(report.problems).to.have.length(1);
    expect(formatProblem(report.problems[0])).to.match(
      /salesforce\/lead\.yaml:\d+:3: Lead has no field "Titel" \(did you mean Title\?\)/,
    );
    const after = store.current.rules.find((r) => r.rule.name === 'lead')!;
    expect(after.rule).to.equal(before.rule); // the very same compiled rule keeps serving
    expect(store.current.rules.map((r) => r.rule.name)).to.include('account');
  });

  it('a duplicate rule name is reported on the later file, the first keeps serving', () => {
    writeFileSync(
      join(dir, 'salesforce', 'zz-copy.yaml'),
      readFileSync(join(dir, 'salesforce', 'account.yaml'), 'utf8'),
    );
    const store = new MappingStore(dir);
    const report = store.load();
    expect(report.problems.map(formatProblem)).to.deep.equal([
      `${report.problems[0].file}:4:7: rule name "account" is already used by ${report.problems[0].file.replace('zz-copy', 'account')}`,
    ]);
    expect(store.current.rules.filter((r) => r.rule.name === 'account')).to.have.length(1);
  });
});
