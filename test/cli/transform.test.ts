// sfmap transform: the same answer as POST /transform, readable, with the reasons rules did not fire.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformCommand } from '../../src/cli/transform-command.js';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { transformItems } from '../../src/mapping/transform.js';
import { bufferIo, SHIPPED_MAPPINGS } from './buffer-io.js';

describe('sfmap transform', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'sfmap-transform-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const file = (name: string, value: unknown) => {
    const p = join(tmp, name);
    writeFileSync(p, JSON.stringify(value));
    return p;
  };
  const peter = {
    type: 'identify',
    traits: { name: 'Peter Gibbons', email: 'peter.gibbons@example.com', company: 'Initech' },
    integrations: { Salesforce: true },
  };

  it("prints a bare message's operation with its HTTP requests", async () => {
    const { io, out } = bufferIo();
    const code = await transformCommand({ event: file('peter.json', peter), mappings: SHIPPED_MAPPINGS }, io);
    expect(code).to.equal(0);
    const text = out.join('\n');
    expect(text).to.match(/item 0 .*→ 200, 1 operation/);
    expect(text).to.include('lead: upsert Lead');
    expect(text).to.include('match (OR): {"Email":"peter.gibbons@example.com"}');
    expect(text).to.include('LastName: "Gibbons"');
    expect(text).to.include(
      "1. GET /services/data/v66.0/query q=SELECT Id FROM Lead WHERE Email = 'peter.gibbons@example.com'",
    );
    expect(text).to.match(/3\. POST \/services\/data\/v66\.0\/sobjects\/Lead \(when notFound\)/);
  });

  it('--json gives exactly what /transform answers, for an array of items and messages', async () => {
    const items = [
      { message: peter, metadata: { jobId: 7 } },
      {
        message: { type: 'group', groupId: '813', traits: { name: 'Teemo' }, integrations: { Salesforce: true } },
        metadata: { jobId: 8 },
        destination: { Config: { sendAddressAsShipping: true } },
      },
    ];
    const { io, out } = bufferIo();
    await transformCommand({ event: file('items.json', items), mappings: SHIPPED_MAPPINGS, json: true }, io);
    const store = new MappingStore(SHIPPED_MAPPINGS);
    store.load();
    const expected = JSON.parse(JSON.stringify(await transformItems(items, store.current)));
    expect(JSON.parse(out.join('\n'))).to.deep.equal(expected);
  });

  it('--config applies to events without a destination', async () => {
    const { io, out } = bufferIo();
    await transformCommand(
      {
        event: file('plain.json', { ...peter, integrations: {} }),
        config: file('cfg.json', { requireIntegrationFlag: false }),
        mappings: SHIPPED_MAPPINGS,
      },
      io,
    );
    expect(out.join('\n')).to.match(/→ 200, 1 operation/);
    const { io: io2, out: out2 } = bufferIo();
    await transformCommand(
      { event: file('plain.json', { ...peter, integrations: {} }), mappings: SHIPPED_MAPPINGS },
      io2,
    );
    expect(out2.join('\n')).to.match(/→ 298: not sent: integrations\.Salesforce/);
  });

  it('--explain says which rule fired and why the others did not', async () => {
    const { io, out } = bufferIo();
    await transformCommand({ event: file('peter.json', peter), mappings: SHIPPED_MAPPINGS, explain: true }, io);
    const text = out.join('\n');
    expect(text).to.match(/✓ lead: when is true: type = "identify"/);
    expect(text).to.match(/✗ account: when is false: type = "group"/);
    expect(text).to.match(/✗ contact: no context\.externalId entry of type Salesforce-Contact/);
    expect(text).to.match(/✗ not enabled .*issue-submitted-case/);
  });

  it('exits 1 when an event can never succeed (400), naming why', async () => {
    const { io, out } = bufferIo();
    const code = await transformCommand(
      {
        event: file('bad.json', { type: 'identify', traits: { name: 'No Email' }, integrations: { Salesforce: true } }),
        mappings: SHIPPED_MAPPINGS,
      },
      io,
    );
    expect(code).to.equal(1);
    expect(out.join('\n')).to.match(/→ 400: .*Email/);
  });
});
