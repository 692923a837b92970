// Issue 10 item 11: `sfmap objects pull` writes an object's metadata file from an org's describe (the
// local emulator serves describe as Salesforce does), so a user adds their org's objects and custom
// fields themselves; the loader then accepts rules on them that it refused before.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { objectsPullCommand } from '../../src/cli/objects-pull-command.js';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { loadRuleText } from '../../src/mapping/load-rule.js';
import { loadObjectCatalog } from '../../src/salesforce/object-catalog.js';
import { type Client, useEmulator } from '../emulator/client.js';
import { bufferIo } from './buffer-io.js';

describe('sfmap objects pull', () => {
  let emulator: RunningEmulator;
  let client: Client;
  useEmulator((e, c) => {
    emulator = e;
    client = c;
  });
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'sfmap-objects-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  const pull = (objects: string[]) => {
    const b = bufferIo();
    return objectsPullCommand(
      { objects, instanceUrl: emulator.url, accessToken: client.token, out, apiVersion: '66.0' },
      b.io,
    ).then((code) => ({ code, ...b }));
  };

  it("writes Invoice__c.yaml from the org's describe; a rule on its fields then loads", async () => {
    const rule = [
      'name: invoice-paid',
      'when: type = "track" and event = "Invoice Paid"',
      'object: Invoice__c',
      'operation: update',
      'recordId: properties.invoiceId',
      'fields:',
      '  Paid_On__c: $dateOnly(timestamp)',
      '  Amount__c: properties.amount',
      '  CreatedDate: timestamp',
    ].join('\n');
    // Before: a custom object is taken on trust, so writing its read-only CreatedDate goes unnoticed.
    expect(loadRuleText('invoice.yaml', rule, new Map()).problems).to.deep.equal([]);

    const { code, out: lines, err } = await pull(['Invoice__c']);
    expect(err, err.join('\n')).to.deep.equal([]);
    expect(code).to.equal(0);
    expect(lines[0]).to.match(/Invoice__c\.yaml: Invoice__c, \d+ fields/);
    const text = readFileSync(join(out, 'Invoice__c.yaml'), 'utf8');
    expect(text).to.contain('`sfmap objects pull`');

    const catalog = loadObjectCatalog(out);
    const invoice = catalog.get('Invoice__c')!;
    expect(invoice.keyPrefix).to.equal('a01');
    expect(invoice.fields.Amount__c).to.deep.include({ type: 'currency' });
    expect(invoice.fields.Notes__c).to.deep.include({ type: 'textarea', filterable: false });
    expect(invoice.fields.Account__c).to.deep.include({ type: 'reference', referenceTo: ['Account'] });
    expect(invoice.fields.CreatedDate).to.deep.include({ readOnly: true });

    // After: the loader knows the object and refuses the read-only field at its line.
    const problems = loadRuleText('invoice.yaml', rule, catalog).problems.map((p) => `${p.line}: ${p.message}`);
    expect(problems).to.deep.equal(['9: Invoice__c.CreatedDate is read-only: Salesforce refuses writes to it']);
  });

  it('an object the org does not have is reported and exits 1; the others are still written', async () => {
    const { code, out: lines, err } = await pull(['Nope__c', 'Task']);
    expect(code).to.equal(1);
    expect(err.join('\n')).to.match(/^Nope__c: describe answered 404/);
    expect(lines.join('\n')).to.match(/Task\.yaml: Task, \d+ fields/);
    expect(loadObjectCatalog(out).get('Task')?.fields.Subject).to.deep.include({ type: 'combobox', length: 255 });
  });
});
