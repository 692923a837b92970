// Cluster mode as `npm start` runs it (src/server/main.ts with WORKERS=2): both workers serve,
// /health lists them, a saved mapping reaches every worker, and a worker that dies is replaced.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerCount } from '../../src/server/cluster.js';
import { scratchMappings } from '../cli/buffer-io.js';
import { freePort } from '../support/free-port.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Health {
  mappings: { generation: number };
  workers: {
    expected: number;
    running: number;
    self: number;
    workers: { id: number; pid: number; generation: number }[];
  };
}

/** One request on its own connection, so the cluster's round robin spreads them over the workers. */
function call(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: data ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      },
    );
    req.on('error', reject);
    // A connection handed to a worker as it dies is lost with it: give up and ask again.
    req.setTimeout(5_000, () => req.destroy(new Error(`${method} ${path}: no answer in 5 s`)));
    req.end(data);
  });
}

describe('cluster mode (WORKERS=2)', function () {
  this.timeout(90_000); // three processes start under tsx on a loaded machine
  let server: ChildProcess;
  let port: number;
  let dir: string;
  let lead: string;
  let original: string;

  const health = async () => (await call(port, 'GET', '/health')).body as Health;
  const title = async () => {
    const item = {
      message: { type: 'identify', traits: { email: 'p@example.com', title: 'x' }, integrations: { Salesforce: true } },
      metadata: { jobId: 1 },
    };
    const res = (await call(port, 'POST', '/transform', [item])).body as {
      output?: { fields: { Title?: unknown } }[];
    }[];
    return res[0].output?.[0].fields.Title;
  };
  const waitFor = async (what: string, check: () => Promise<boolean>, ms = 20_000) => {
    const until = Date.now() + ms;
    let last: unknown;
    while (Date.now() < until) {
      try {
        if (await check()) return;
      } catch (err) {
        last = err; // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what}${last ? ` (${(last as Error).message})` : ''}`);
  };

  before(async () => {
    dir = scratchMappings();
    lead = join(dir, 'salesforce/lead.yaml');
    original = readFileSync(lead, 'utf8');
    port = await freePort();
    server = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        WORKERS: '2',
        PORT: String(port),
        MAPPINGS_DIR: dir,
        LOG_LEVEL: 'error',
        WATCH_MAPPINGS: 'true',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // Three processes compile under tsx at once: on a loaded 2-core machine that alone can take 20 s.
    await waitFor(
      'two workers up',
      async () => {
        const h = await health();
        return h.workers.running === 2 && h.workers.workers.every((w) => w.generation >= 1);
      },
      60_000,
    );
  });
  after(async () => {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('WORKERS is a whole number; unset means one per core', () => {
    expect(workerCount({ WORKERS: '3' })).to.equal(3);
    expect(workerCount({})).to.be.at.least(1);
    expect(() => workerCount({ WORKERS: 'many' })).to.throw(/WORKERS must be a whole number/);
    expect(() => workerCount({ WORKERS: '0' })).to.throw(/WORKERS/);
  });

  it('both workers answer, and /health in each lists both', async () => {
    const seen = new Set<number>();
    for (let i = 0; i < 20 && seen.size < 2; i++) {
      const h = await health();
      expect(h.workers.expected).to.equal(2);
      expect(h.workers.workers).to.have.length(2);
      seen.add(h.workers.self);
    }
    expect(seen.size).to.equal(2);
    const pids = (await health()).workers.workers.map((w) => w.pid);
    expect(new Set(pids).size).to.equal(2);
    expect(pids).not.to.include(server.pid);
  });

  it('a saved mapping reaches every worker (hot reload through the primary)', async () => {
    expect(await title()).to.equal('x');
    const before = (await health()).workers.workers.map((w) => w.generation);
    writeFileSync(lead, original.replace('  Title: $traits.title', `  Title: "'B-' & $traits.title"`));
    await waitFor('every worker reloaded', async () => {
      const ws = (await health()).workers.workers;
      return ws.length === 2 && ws.every((w, i) => w.generation > before[i]);
    });
    // Ten fresh connections land on both workers: every answer is the new version.
    for (let i = 0; i < 10; i++) expect(await title()).to.equal('B-x');
  });

  it('a worker that dies is replaced', async () => {
    const victim = (await health()).workers.workers[0].pid;
    process.kill(victim, 'SIGKILL');
    await waitFor('a new worker in place of the dead one', async () => {
      const ws = (await health()).workers.workers;
      return ws.length === 2 && !ws.some((w) => w.pid === victim) && ws.every((w) => w.generation >= 1);
    });
  });
});
