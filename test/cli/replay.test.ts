// sfmap replay against a listening server: batches, concurrency, malformed lines skipped with their
// numbers, /proxy fed with exactly the 200 results, a summary by status.
import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayCommand } from '../../src/cli/replay-command.js';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { bufferIo, SHIPPED_MAPPINGS } from './buffer-io.js';

describe('sfmap replay', () => {
  let server: Server;
  let url: string;
  let tmp: string;
  const transformBatches: number[] = [];
  const proxied: {
    metadata: { line?: number; secret?: unknown };
    destination: { Config: Record<string, unknown> };
    output: unknown[];
  }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  before(async () => {
    const store = new MappingStore(SHIPPED_MAPPINGS);
    store.load();
    const { app } = createApp({ store, logger: createLogger('silent'), playground: false });
    const outer = express();
    // The real /transform, observed; a stand-in /proxy that records what it was given.
    outer.post('/transform', express.json({ limit: '5mb' }), (req, _res, next) => {
      transformBatches.push((req.body as unknown[]).length);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      _res.on('finish', () => inFlight--);
      // A little latency, as a real network has, so that concurrent batches overlap at the server.
      setTimeout(next, 15);
    });
    outer.post('/proxy', express.json({ limit: '5mb' }), (req, res) => {
      proxied.push(...(req.body as typeof proxied));
      res.json(
        (req.body as { metadata: unknown }[]).map((i) => ({ metadata: i.metadata, statusCode: 200, results: [] })),
      );
    });
    outer.use(app);
    server = outer.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    tmp = mkdtempSync(join(tmpdir(), 'sfmap-replay-'));
  });
  after(() => {
    server.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('sends every event once in batches, skips malformed lines by number, and summarises by status', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 250; i++) {
      // every 10th identify has no email: a 400; every 25th is a page event no rule maps: a 298
      if (i % 25 === 0) lines.push(JSON.stringify({ type: 'page', name: 'Home', integrations: { Salesforce: true } }));
      else if (i % 10 === 0)
        lines.push(
          JSON.stringify({ type: 'identify', traits: { name: 'No Email' }, integrations: { Salesforce: true } }),
        );
      else
        lines.push(
          JSON.stringify({
            type: 'identify',
            traits: { email: `u${i}@example.com` },
            integrations: { Salesforce: true },
          }),
        );
    }
    lines.splice(41, 0, '{"type": "identify", "traits": {'); // line 42
    lines.splice(99, 0, ''); // a blank line (line 100) is ignored
    lines.splice(150, 0, '[1, 2]'); // line 151: JSON, but not an event
    // An item with its own metadata (credentials) and destination keeps them.
    lines.push(
      JSON.stringify({
        message: { type: 'identify', traits: { email: 'item@example.com' }, integrations: { Salesforce: true } },
        metadata: { jobId: 'own', secret: { access_token: 'x', instance_url: 'https://acme.my.salesforce.com' } },
        destination: { Config: { useContactId: true } },
      }),
    );
    const file = join(tmp, 'events.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    const config = join(tmp, 'config.json');
    writeFileSync(config, JSON.stringify({ userName: 'u', password: 'p' }));

    const { io, out, err } = bufferIo();
    const code = await replayCommand({ file, to: url, batch: 20, concurrency: 3, proxy: true, config }, io);

    expect(err).to.deep.equal([
      `${file}:42: skipped: not JSON (${err[0].slice(err[0].indexOf('(') + 1, -1)})`,
      `${file}:151: skipped: a line must be one event (a message or an item object)`,
    ]);
    expect(transformBatches.reduce((a, b) => a + b, 0)).to.equal(251);
    expect(Math.max(...transformBatches)).to.equal(20);
    expect(maxInFlight).to.be.within(2, 3);
    const text = out.join('\n');
    expect(text).to.match(/replayed 251 events in [\d.]+ s \(\d+ events\/s\)/);
    // 250 generated: 10 page (298), 20 without email (400), 220 identify (200); plus the item (200)
    expect(text).to.include('transform: 200 × 221, 298 × 10, 400 × 20');
    expect(text).to.include('proxy: 200 × 221');
    expect(text).to.include('skipped: 2 malformed lines');
    expect(code).to.equal(1);

    expect(proxied).to.have.length(221);
    const own = proxied.find((p) => p.metadata.secret !== undefined)!;
    expect(own.destination.Config).to.deep.equal({ useContactId: true });
    const bare = proxied.find((p) => p.metadata.line === 2)!;
    expect(bare.destination.Config).to.deep.equal({ userName: 'u', password: 'p' });
    expect(bare.output).to.have.length(1);
  });

  it('reports an unreachable server per batch, and still finishes', async () => {
    const file = join(tmp, 'two.ndjson');
    writeFileSync(
      file,
      '{"type":"identify","traits":{"email":"a@example.com"}}\n{"type":"identify","traits":{"email":"b@example.com"}}\n',
    );
    const closed = express().listen(0, '127.0.0.1');
    await new Promise((r) => closed.once('listening', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const { io, out, err } = bufferIo();
    const code = await replayCommand({ file, to: `http://127.0.0.1:${port}`, batch: 1, concurrency: 2 }, io);
    expect(code).to.equal(1);
    expect(err).to.have.length(2);
    expect(err[0]).to.match(/^lines \d-\d: \/transform failed: ECONNREFUSED; 1 events not sent$/);
    expect(out.join('\n')).to.include('not sent: 2 events');
  });

  it('prints plain progress lines when stdout is not a terminal', async () => {
    const file = join(tmp, 'slow.ndjson');
    writeFileSync(
      file,
      Array.from({ length: 30 }, (_, i) =>
        JSON.stringify({
          type: 'identify',
          traits: { email: `p${i}@example.com` },
          integrations: { Salesforce: true },
        }),
      ).join('\n'),
    );
    const { io, out } = bufferIo();
    await replayCommand({ file, to: url, batch: 1, concurrency: 1, progressEveryMs: 5 }, io);
    expect(out.some((l) => /^replay: \d+\/30 lines, \d+ events\/s$/.test(l))).to.equal(true);
  });
});
