// The whole path over HTTP, as a router would drive it: identify events → POST /transform →
// POST /proxy → the emulated org. Reports events/s delivered and Salesforce API calls per event
// (the emulator's counter). One process holds the app, the emulator and the client, so the figure
// is a floor for what a dedicated server does.
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { DEFAULT_CLIENT, DEFAULT_USER, startEmulator } from '../../src/emulator/emulator.js';
import { identifyItem } from '../events.js';

const BATCH = 1000;

async function post(url: string, body: unknown): Promise<unknown[]> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as unknown[];
}

export async function runEndToEndBench(events = 10_000): Promise<string[]> {
  // The org has the custom fields the bench events' custom traits map to, as a real org would.
  const emulator = await startEmulator({
    seed: 7,
    objects: [
      {
        name: 'Lead',
        fields: {
          plan__c: { type: 'string', length: 40 },
          signupCohort__c: { type: 'string', length: 40 },
          isTrial__c: { type: 'boolean' },
        },
      },
    ],
  });
  Object.assign(process.env, {
    ALLOWED_SALESFORCE_HOSTS: '127.0.0.1',
    SALESFORCE_LOGIN_URL: emulator.url,
    SALESFORCE_CLIENT_ID: DEFAULT_CLIENT.clientId,
    SALESFORCE_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
  });
  const { app, watcher } = createApp({ logger: createLogger('silent'), watch: false });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const destination = {
    Config: {
      userName: DEFAULT_USER.username,
      password: DEFAULT_USER.password,
      initialAccessToken: DEFAULT_USER.securityToken ?? '',
    },
  };
  try {
    let delivered = 0;
    const started = performance.now();
    for (let from = 0; from < events; from += BATCH) {
      const items = Array.from({ length: Math.min(BATCH, events - from) }, (_, i) => ({
        ...identifyItem(from + i),
        destination,
      }));
      const mapped = (await post(`${base}/transform`, items)) as Array<{
        statusCode: number;
        metadata: unknown;
        output: unknown;
      }>;
      const toSend = mapped
        .filter((r) => r.statusCode === 200)
        .map((r) => ({ metadata: r.metadata, output: r.output, destination }));
      const outcomes = (await post(`${base}/proxy`, toSend)) as Array<{ statusCode: number }>;
      delivered += outcomes.filter((o) => o.statusCode === 200).length;
    }
    const seconds = (performance.now() - started) / 1000;
    const stats = emulator.state.getStats();
    return [
      `End to end over HTTP (/transform → /proxy → emulator, ${BATCH} events per request, one process):`,
      `  ${delivered}/${events} identifies delivered in ${seconds.toFixed(2)} s = ${Math.round(delivered / seconds).toLocaleString('en-US')} events/s; ` +
        `${stats.apiCalls} API calls (${(stats.apiCalls / events).toFixed(3)} per event; peers 2), ${stats.tokenRequests} token request(s)`,
    ];
  } finally {
    await watcher?.close();
    await new Promise((r) => server.close(r));
    await emulator.close();
  }
}

for (const line of await runEndToEndBench()) console.log(line);
