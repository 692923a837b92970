// Hot reload on a listening server: a saved mapping is served without a restart, a broken save is
// reported (log + /health) while the last good version keeps serving, and under a steady stream of
// /transform requests every answer is wholly the old or wholly the new mapping — never a mix.
import { expect } from 'chai';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { createApp, type App } from '../../src/server/app.js';
import { scratchMappings } from '../cli/buffer-io.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('hot reload of the mappings folder', function () {
  this.timeout(30_000);
  let dir: string;
  let lead: string;
  let original: string;
  let app: App;
  let server: Server;
  let base: string;
  const logs: { level: string; message: string }[] = [];

  // Version A is the shipped lead.yaml; B prefixes the Title; BROKEN does not compile.
  const versionB = () => original.replace('  Title: $traits.title', `  Title: "'B-' & $traits.title"`);
  const broken = () => original.replace('  Title: $traits.title', '  Title: $traits.title((');
  const brokenLine = () => original.split('\n').findIndex((l) => l === '  Title: $traits.title') + 1;

  const items = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      message: {
        type: 'identify',
        traits: { email: `p${i}@example.com`, title: 'x' },
        integrations: { Salesforce: true },
      },
      metadata: { jobId: i },
    }));
  const titles = async (n = 1): Promise<{ status: number; titles: unknown[]; codes: number[] }> => {
    const res = await fetch(`${base}/transform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(items(n)),
    });
    const body = (await res.json()) as { statusCode: number; output?: { fields: { Title?: unknown } }[] }[];
    return {
      status: res.status,
      codes: body.map((r) => r.statusCode),
      titles: body.map((r) => r.output?.[0].fields.Title),
    };
  };
  const waitFor = async (what: string, check: () => Promise<boolean> | boolean, ms = 5000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await check()) return;
      await sleep(20);
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const health = async () =>
    (await (await fetch(`${base}/health`)).json()) as { mappings: { problems: string[]; generation: number } };

  before(async () => {
    dir = scratchMappings();
    lead = join(dir, 'salesforce/lead.yaml');
    original = readFileSync(lead, 'utf8');
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean))
          logs.push(JSON.parse(line) as { level: string; message: string });
        done();
      },
    });
    const logger = winston.createLogger({
      level: 'info',
      format: winston.format.json(),
      transports: [new winston.transports.Stream({ stream: sink })],
    });
    const store = new MappingStore(dir);
    store.load();
    app = createApp({ store, logger, watch: { debounceMs: 50 } });
    await app.watcher!.ready;
    server = app.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await app.watcher?.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    writeFileSync(lead, original);
    await waitFor('the original mapping back', async () => (await titles()).titles[0] === 'x');
  });

  it('serves a saved change without a restart', async () => {
    expect((await titles()).titles).to.deep.equal(['x']);
    const before = (await health()).mappings.generation;
    writeFileSync(lead, versionB());
    await waitFor('version B', async () => (await titles()).titles[0] === 'B-x');
    expect((await health()).mappings.generation).to.be.greaterThan(before);
    expect(logs.some((l) => l.message === 'mappings reloaded')).to.equal(true);
  });

  it('keeps the last good version when a save is broken, and says where: log and /health', async () => {
    writeFileSync(lead, versionB());
    await waitFor('version B', async () => (await titles()).titles[0] === 'B-x');
    logs.length = 0;
    writeFileSync(lead, broken());
    const where = new RegExp(`lead\\.yaml:${brokenLine()}:\\d+: JSONata syntax error in fields\\.Title`);
    await waitFor('the problem in /health', async () => (await health()).mappings.problems.some((p) => where.test(p)));
    expect((await titles()).titles).to.deep.equal(['B-x']);
    const warn = logs.find((l) => l.level === 'warn' && where.test(l.message));
    expect(warn, JSON.stringify(logs)).to.not.equal(undefined);
  });

  it('picks up an editor that saves by renaming a temporary file over the mapping', async () => {
    const tmp = join(dir, 'salesforce/.lead.yaml.swp');
    writeFileSync(tmp, versionB());
    renameSync(tmp, lead);
    await waitFor('version B after rename', async () => (await titles()).titles[0] === 'B-x');
    const tmp2 = join(dir, 'salesforce/lead.yaml~');
    writeFileSync(tmp2, original);
    renameSync(tmp2, lead);
    await waitFor('version A after a second rename', async () => (await titles()).titles[0] === 'x');
  });

  it('under load, every answer is 200 and wholly one version while files flip between valid and broken', async () => {
    let writing = true;
    const counts = { A: 0, B: 0, mixed: 0, notOk: 0, requests: 0 };
    const problemsSeen = new Set<string>();
    const client = async () => {
      while (writing) {
        const r = await titles(25);
        counts.requests++;
        if (r.status !== 200 || r.codes.some((c) => c !== 200)) counts.notOk++;
        const distinct = new Set(r.titles);
        if (distinct.size !== 1) counts.mixed++;
        else if (distinct.has('x')) counts.A++;
        else if (distinct.has('B-x')) counts.B++;
        else counts.notOk++;
      }
    };
    const writer = async () => {
      const versions = [versionB, broken, () => original, broken];
      for (let i = 0; i < 24; i++) {
        writeFileSync(lead, versions[i % versions.length]());
        await sleep(60 + (i % 3) * 40);
        for (const p of (await health()).mappings.problems) problemsSeen.add(p);
      }
      writing = false;
    };
    await Promise.all([writer(), ...Array.from({ length: 8 }, client)]);
    console.log(
      `      reload under load: ${JSON.stringify(counts)}, reloads seen: ${logs.filter((l) => l.message === 'mappings reloaded').length}`,
    );
    expect(counts.notOk).to.equal(0);
    expect(counts.mixed).to.equal(0);
    expect(counts.A).to.be.greaterThan(0);
    expect(counts.B).to.be.greaterThan(0);
    expect([...problemsSeen].some((p) => /JSONata syntax error in fields\.Title/.test(p))).to.equal(true);
  });

  it('stops watching when closed', async () => {
    const store = new MappingStore(dir);
    store.load();
    const other = createApp({ store, logger: winston.createLogger({ silent: true }), watch: { debounceMs: 20 } });
    await other.watcher!.ready;
    const gen = store.generation;
    await other.watcher!.close();
    writeFileSync(lead, versionB());
    await sleep(300);
    expect(store.generation).to.equal(gen);
  });
});
