// The project's Salesforce emulator (the built dist/), for the rudder-transformer comparison
// (bench/rudder-transformer.ts), served twice over one state: plain HTTP for the bench's own admin
// and login calls, and HTTPS with the certificate in BENCH_TLS_CERT/KEY as the instance URL the
// systems under test call — rudder-transformer's Salesforce SDK refuses an instance URL that is not
// https. Prints `<http port> <https port>` on stdout.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import process from 'node:process';
import { URL } from 'node:url';

const { EmulatorState } = await import(new URL('../dist/emulator/state.js', import.meta.url).href);
const { createEmulatorServer } = await import(new URL('../dist/emulator/http-server.js', import.meta.url).href);

const state = new EmulatorState({});
const plain = createEmulatorServer(state);
const handler = plain.listeners('request')[0];
const secure = https.createServer(
  {
    key: readFileSync(process.env.BENCH_TLS_KEY),
    cert: readFileSync(process.env.BENCH_TLS_CERT),
    maxHeaderSize: 256 * 1024,
  },
  (req, res) => handler(req, res),
);
const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const [plainPort, securePort] = [await listen(plain), await listen(secure)];
// Records, query results and the token endpoint name the instance by this URL.
state.instanceUrl = `https://127.0.0.1:${securePort}`;
process.on('SIGTERM', () => process.exit(0));
process.stdout.write(`${plainPort} ${securePort}\n`);
