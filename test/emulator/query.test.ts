import { expect } from 'chai';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { parseSoql } from '../../src/emulator/soql-parser.js';
import { Client, useEmulator, V } from './client.js';

describe('emulator: SOQL query', () => {
  let emulator: RunningEmulator;
  let sf: Client;
  useEmulator((e, c) => {
    emulator = e;
    sf = c;
  });

  const emails = (reply: { body: { records: { Email: string }[] } }): string[] =>
    reply.body.records.map((r) => r.Email).sort();

  it('an escaped quote, backslash and newline in a literal match exactly the right record', async () => {
    emulator.state.seed('Lead', [
      { LastName: 'A', Company: 'C', Email: "o'brien@example.com" },
      { LastName: 'B', Company: 'C', Email: 'obrien@example.com' },
      { LastName: 'back\\slash', Company: 'C', Email: 'b@example.com' },
      { LastName: 'two\nlines', Company: 'C', Email: 'n@example.com' },
    ]);
    expect(emails(await sf.query("SELECT Id, Email FROM Lead WHERE Email = 'o\\'brien@example.com'"))).to.deep.equal([
      "o'brien@example.com",
    ]);
    expect(emails(await sf.query("SELECT Id, Email FROM Lead WHERE LastName = 'back\\\\slash'"))).to.deep.equal([
      'b@example.com',
    ]);
    expect(emails(await sf.query("SELECT Id, Email FROM Lead WHERE LastName = 'two\\nlines'"))).to.deep.equal([
      'n@example.com',
    ]);
    // An injection attempt stays inside its literal and matches nothing.
    const injected = await sf.query("SELECT Id, Email FROM Lead WHERE Email = 'x\\' OR Email != \\'x'");
    expect(injected.status).to.equal(200);
    expect(injected.body.totalSize).to.equal(0);
  });

  it('text comparison is case-insensitive; IN, !=, = null and parenthesised AND/OR work', async () => {
    emulator.state.seed('Lead', [
      { LastName: 'A', Company: 'Acme', Email: 'Ada@Example.com' },
      { LastName: 'B', Company: 'Acme', Email: 'bob@example.com' },
      { LastName: 'C', Company: 'Other', Email: null },
    ]);
    expect(emails(await sf.query("SELECT Email FROM Lead WHERE Email = 'ada@example.COM'"))).to.deep.equal([
      'Ada@Example.com',
    ]);
    expect(
      emails(await sf.query("SELECT Email FROM Lead WHERE Email IN ('ADA@example.com', 'bob@example.com', 'x@y')")),
    ).to.have.length(2);
    expect((await sf.query('SELECT Id FROM Lead WHERE Email = null')).body.totalSize).to.equal(1);
    expect((await sf.query("SELECT Id FROM Lead WHERE Email != 'bob@example.com'")).body.totalSize).to.equal(2);
    expect(
      (await sf.query("SELECT Id FROM Lead WHERE Company = 'acme' AND (Email = 'bob@example.com' OR LastName = 'A')"))
        .body.totalSize,
    ).to.equal(2);
    expect((await sf.query("SELECT Id FROM Lead WHERE Company = 'acme' LIMIT 1")).body.totalSize).to.equal(1);
    expect((await sf.query('SELECT Id FROM Lead WHERE IsConverted = false')).body.totalSize).to.equal(3);
  });

  it('a datetime IN list compares instants, as = does (Z and +0000 are one instant)', async () => {
    emulator.state.seed('Lead', [
      { LastName: 'A', Company: 'C', Email: 'a@example.com', EmailBouncedDate: '2024-05-01T10:00:00.000Z' },
      { LastName: 'B', Company: 'C', Email: 'b@example.com', EmailBouncedDate: '2024-05-02T10:00:00.000Z' },
    ]);
    expect(
      emails(
        await sf.query(
          'SELECT Id, Email FROM Lead WHERE EmailBouncedDate IN (2024-05-01T12:00:00+02:00, 2024-05-03T00:00:00Z)',
        ),
      ),
    ).to.deep.equal(['a@example.com']);
    expect(
      emails(await sf.query('SELECT Id, Email FROM Lead WHERE EmailBouncedDate = 2024-05-01T10:00:00.000Z')),
    ).to.deep.equal(['a@example.com']);
  });

  it('malformed queries → 400 MALFORMED_QUERY with a pointer to the problem', async () => {
    for (const q of [
      'SELECT FROM Lead',
      "SELECT Id FROM Lead WHERE Email = 'unterminated",
      "SELECT Id FROM Lead WHERE Email = 'a' AND LastName = 'b' OR Company = 'c'",
      'SELECT Id FROM Lead WHERE Email IS NULL',
      "SELECT Id FROM Lead WHERE Email = 'bad \\q escape'",
      'SELECT Id FROM Lead ORDER Email',
      'DELETE FROM Lead',
    ]) {
      const r = await sf.query(q);
      expect(r.status, q).to.equal(400);
      expect(r.body[0].errorCode, q).to.equal('MALFORMED_QUERY');
      expect(r.body[0].message, q).to.match(/ERROR at Row:1:Column:\d+/);
    }
  });

  it('unknown field → INVALID_FIELD, unknown object → INVALID_TYPE, unfilterable or mistyped filter → INVALID_FIELD', async () => {
    const field = await sf.query('SELECT Id, Nope__c FROM Lead');
    expect(field.status).to.equal(400);
    expect(field.body[0].errorCode).to.equal('INVALID_FIELD');
    expect(field.body[0].message).to.contain("No such column 'Nope__c' on entity 'Lead'");
    const type = await sf.query('SELECT Id FROM Leed');
    expect(type.status).to.equal(400);
    expect(type.body[0].errorCode).to.equal('INVALID_TYPE');
    expect((await sf.query("SELECT Id FROM Lead WHERE Description = 'x'")).body[0].errorCode).to.equal('INVALID_FIELD');
    expect((await sf.query('SELECT Id FROM Lead WHERE Email = 5')).body[0].errorCode).to.equal('INVALID_FIELD');
    expect((await sf.query("SELECT Id FROM Lead WHERE Id = 'nope'")).body[0].errorCode).to.equal(
      'INVALID_QUERY_FILTER_OPERATOR',
    );
  });

  it('pages results with nextRecordsUrl (page size is a setting; Salesforce uses 2000)', async () => {
    emulator.state.configure({ queryPageSize: 2 });
    emulator.state.seed(
      'Lead',
      Array.from({ length: 5 }, (_, i) => ({ LastName: `L${i}`, Company: 'C', Email: `p${i}@example.com` })),
    );
    const seen: string[] = [];
    let page = await sf.query('SELECT Id, Email FROM Lead');
    expect(page.body).to.include({ totalSize: 5, done: false });
    for (;;) {
      seen.push(...page.body.records.map((r: { Email: string }) => r.Email));
      if (page.body.done) break;
      expect(page.body.nextRecordsUrl).to.match(new RegExp(`^${V.replace(/\./g, '\\.')}/query/`));
      page = await sf.call('GET', page.body.nextRecordsUrl);
      expect(page.status).to.equal(200);
    }
    expect(seen).to.deep.equal([
      'p0@example.com',
      'p1@example.com',
      'p2@example.com',
      'p3@example.com',
      'p4@example.com',
    ]);
    expect(emulator.state.getStats().byPath['GET query/:locator']).to.equal(2);
  });

  it('the parser refuses reserved words as names and keeps AND/OR levels explicit', () => {
    expect(() => parseSoql('SELECT from FROM Lead')).to.throw(/unexpected token/);
    const q = parseSoql("select Id from Lead where (A = 'x' or B = 'y') and not C in (1, 2) limit 5");
    expect(q.limit).to.equal(5);
    expect(q.where?.kind).to.equal('and');
  });
});
