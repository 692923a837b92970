// One server under test, in its own process (pinned to its own core by bench/server-bench.ts):
//   node-echo     node:http reading the body, JSON.parse, JSON.stringify, one write: the floor
//   express-echo  Express 5 with express.json and res.json: what any Express JSON service pays
//   transform     the product's built app (dist/, what `npm start` runs), MAPPINGS_DIR as given
// Prints its port on stdout. Its own CPU time and RSS are read over the IPC channel, so the
// measurement adds no route and no work to the server being measured.
import { Buffer } from 'node:buffer';
import http from 'node:http';
import express from 'express';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL } from 'node:url';

const kind = process.argv[2];
let handler;
if (kind === 'node-echo') {
  handler = (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const out = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(out),
      });
      res.end(out);
    });
  };
} else if (kind === 'express-echo') {
  const app = express();
  app.post('/transform', express.json({ limit: '50mb' }), (req, res) => res.json(req.body));
  handler = app;
} else if (kind === 'transform') {
  // BENCH_APP_DIST: another build of the product (an older commit's dist/) to compare with.
  const dist = process.env.BENCH_APP_DIST
    ? new URL(`file://${process.env.BENCH_APP_DIST.replace(/\/?$/, '/')}`)
    : new URL('../dist/', import.meta.url);
  const { createApp } = await import(new URL('server/app.js', dist).href);
  const { createLogger } = await import(new URL('server/logger.js', dist).href);
  handler = createApp({ logger: createLogger('silent'), watch: false, bodyLimit: 50 * 1024 * 1024 }).app;
} else if (kind === 'rudder-transformer') {
  // RudderStack's transformer, built in BENCH_RUDDER_TRANSFORMER (bench/rudder-transformer.ts): its own
  // entry point (Koa and its middlewares, one process: CLUSTER_ENABLED=false) listening on
  // BENCH_RUDDER_PORT; this process only adds the IPC usage reply below.
  const dir = process.env.BENCH_RUDDER_TRANSFORMER;
  const port = process.env.BENCH_RUDDER_PORT;
  process.chdir(dir);
  // Its logger writes JSON lines to stdout, where the bench reads this process's port: send them to stderr.
  const toBench = process.stdout.write.bind(process.stdout);
  process.stdout.write = (...args) => process.stderr.write(...args);
  Object.assign(process.env, {
    PORT: port,
    CLUSTER_ENABLED: 'false',
    LOG_LEVEL: process.env.RUDDER_LOG_LEVEL ?? 'error',
  });
  await import(new URL(`file://${dir.replace(/\/?$/, '/')}dist/src/index.js`).href);
  const healthy = () =>
    new Promise((resolve) => {
      http
        .get({ host: '127.0.0.1', port, path: '/health' }, (r) => resolve(r.resume().statusCode === 200))
        .on('error', () => resolve(false));
    });
  for (let i = 0; !(await healthy()); i++) {
    if (i > 600) throw new Error(`rudder-transformer did not answer /health on ${port} within a minute`);
    await sleep(100);
  }
  toBench(`${port}\n`);
} else {
  throw new Error(`unknown server kind ${kind}`);
}

process.on('message', (m) => {
  if (m === 'usage') process.send({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
});
process.on('disconnect', () => process.exit(0));
// rudder-transformer listens by itself (above).
const server = handler && http.createServer(handler);
if (server) server.keepAliveTimeout = 65_000;
server?.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
