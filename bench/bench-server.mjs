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
import { URL } from 'node:url';

const kind = process.argv[2];
let handler;
if (kind === 'node-echo') {
  handler = (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const out = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    });
  };
} else if (kind === 'express-echo') {
  const app = express();
  app.post('/transform', express.json({ limit: '50mb' }), (req, res) => res.json(req.body));
  handler = app;
} else if (kind === 'transform') {
  // BENCH_APP_DIST: another build of the product (an older commit's dist/) to compare with.
  const dist = process.env.BENCH_APP_DIST ? new URL(`file://${process.env.BENCH_APP_DIST.replace(/\/?$/, '/')}`) : new URL('../dist/', import.meta.url);
  const { createApp } = await import(new URL('server/app.js', dist).href);
  const { createLogger } = await import(new URL('server/logger.js', dist).href);
  handler = createApp({ logger: createLogger('silent'), watch: false, bodyLimit: 50 * 1024 * 1024 }).app;
} else {
  throw new Error(`unknown server kind ${kind}`);
}

process.on('message', (m) => {
  if (m === 'usage') process.send({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
});
process.on('disconnect', () => process.exit(0));
const server = http.createServer(handler);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
