// A server under test, in its own process so the load generator does not share its core:
// `transform` is the product's built app (dist/, what `npm start` runs); `echo` is the baseline
// (Express 5 parsing and re-serialising the same bodies). Prints its port on stdout.
import express from 'express';
import { createApp } from '../dist/server/app.js';
import { createLogger } from '../dist/server/logger.js';

const kind = process.argv[2];
const app =
  kind === 'echo'
    ? express().post('/transform', express.json({ limit: '5mb' }), (req, res) => {
        res.json(req.body);
      })
    : createApp({ logger: createLogger('silent') }).app;
const server = app.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
