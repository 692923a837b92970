// Issue 10 item 20: an inline rule (destination.Config.mappings) is compiled against the object
// metadata that is serving. After a reload that makes a field read-only, the same inline rule must be
// checked again — not keep writing the field from a cache keyed on the rule's text alone.
import { expect } from 'chai';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapEvent } from '../../src/mapping/map-event.js';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { scratchMappings } from '../cli/buffer-io.js';

type Answer = {
  statusCode: number;
  error?: string;
  errorCode?: string;
  output?: { fields: Record<string, unknown> }[];
};

describe('inline rules after a reload that changes object metadata', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('recompiles the inline rule: a field that became read-only (Lead.DoNotCall) is refused, never written', async () => {
    dir = scratchMappings();
    const store = new MappingStore(dir);
    store.load();
    const inline = {
      name: 'inline-title',
      when: 'type = "identify"',
      object: 'Lead',
      operation: 'update',
      recordId: '$traits.leadId',
      fields: { DoNotCall: '$traits.doNotCall' },
    };
    const item = {
      message: {
        type: 'identify',
        traits: { leadId: '00Q5e00000AbCdE', doNotCall: true },
        integrations: { Salesforce: true },
      },
      metadata: { jobId: 1 },
      destination: { Config: { mappings: [inline], mappingsMode: 'replace' } },
    };
    const before = (await mapEvent(item, store.current)) as Answer;
    expect(before.statusCode, before.error).to.equal(200);
    expect(before.output![0].fields).to.deep.equal({ DoNotCall: true });

    const leadFile = join(dir, 'salesforce', 'objects', 'Lead.yaml');
    const text = readFileSync(leadFile, 'utf8');
    const readOnlyField = text.replace(
      /^ {2}DoNotCall: \{ type: boolean \}$/m,
      '  DoNotCall: { type: boolean, readOnly: true }',
    );
    expect(readOnlyField).to.not.equal(text);
    writeFileSync(leadFile, readOnlyField);
    expect(store.load().problems).to.deep.equal([]);

    const after = (await mapEvent(item, store.current)) as Answer;
    expect(after.statusCode).to.equal(400);
    expect(after.errorCode).to.equal('INVALID_MAPPING');
    expect(after.error).to.match(/Lead\.DoNotCall is read-only/);
  });
});
