// rudder-server's path, both delivery modes: POST /routerTransform with N jobs (20 = rudder-server's
// Router.noOfJobsToBatchInAWorker default, and 200), then what the router does with the answer —
// direct: it sends each request to Salesforce itself; proxy: it POSTs each batched request to
// /v1/destinations/salesforce/proxy. Reports events/s delivered and Salesforce API calls per 1,000
// identifies (the emulator's counter, the router's own sends included), beside RudderStack's own
// Salesforce integration: a lookup and a write per event, 2,000 per 1,000. Half the leads exist
// already (updates), half are new (creates). One process holds everything: figures are a floor.
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { deliveryDepsFromEnv } from '../../src/rudder/destination-access.js';
import { DEFAULT_CLIENT, DEFAULT_USER, startEmulator } from '../../src/emulator/emulator.js';
import { identifyItem } from '../events.js';

const EVENTS = 1000;
/** Router workers deliver in parallel; this many outputs are in flight at once. */
const ROUTER_CONCURRENCY = 8;

type Output = {
  batchedRequest?: Record<string, unknown> | Array<Record<string, unknown>>;
  metadata: unknown[];
  statusCode: number;
  destination: { Config: unknown };
};

async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    seed: 11,
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
  const env = {
    ALLOWED_SALESFORCE_HOSTS: '127.0.0.1',
    SALESFORCE_LOGIN_URL: emulator.url,
    SALESFORCE_CLIENT_ID: DEFAULT_CLIENT.clientId,
    SALESFORCE_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
  };
  const destination = {
    ID: 'dest-1',
    DestinationDefinition: { Name: 'SALESFORCE' },
    Config: {
      userName: DEFAULT_USER.username,
      password: DEFAULT_USER.password,
      initialAccessToken: DEFAULT_USER.securityToken ?? '',
    },
  };
  const servers = await Promise.all(
    (['direct', 'proxy'] as const).map(async (mode) => {
      const { app } = createApp({
        logger: createLogger('silent'),
        playground: false,
        rudder: { mode, delivery: deliveryDepsFromEnv(env) },
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      return { mode, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    }),
  );

  const lines = [
    `rudder-server path (routerTransform → router delivery → emulator), ${EVENTS} identifies per run, half of them updates:`,
  ];
  try {
    for (const { mode, base } of servers) {
      for (const jobsPerCall of [20, 200]) {
        emulator.state.reset();
        emulator.state.seed(
          'Lead',
          Array.from({ length: EVENTS / 2 }, (_, i) => ({
            Email: `person${2 * i}@example.com`,
            LastName: 'Existing',
            Company: 'Existing',
          })),
        );
        let delivered = 0;
        let outputsCount = 0;
        const started = performance.now();
        const calls: number[] = [];
        for (let from = 0; from < EVENTS; from += jobsPerCall) calls.push(from);
        // Router workers run side by side: a few routerTransform calls in flight at once.
        await inParallel(calls, 4, async (from) => {
          const input = Array.from({ length: Math.min(jobsPerCall, EVENTS - from) }, (_, k) => {
            const item = identifyItem(from + k);
            return {
              message: item.message,
              metadata: { ...item.metadata, destinationId: 'dest-1', workspaceId: 'ws-1' },
              destination,
            };
          });
          const res = await postJson(`${base}/routerTransform`, { input, destType: 'salesforce' });
          if (res.status !== 200) throw new Error(`routerTransform answered ${res.status}`);
          const outputs = (res.json as { output: Output[] }).output;
          outputsCount += outputs.length;
          await inParallel(outputs, ROUTER_CONCURRENCY, async (o) => {
            if (o.statusCode !== 200) return;
            const requests = Array.isArray(o.batchedRequest) ? o.batchedRequest : [o.batchedRequest!];
            if (mode === 'direct') {
              let ok = true;
              for (const r of requests) {
                const json = (r.body as { JSON: Record<string, unknown> }).JSON;
                const sent = await fetch(r.endpoint as string, {
                  method: r.method as string,
                  headers: r.headers as Record<string, string>,
                  body: Object.keys(json).length > 0 ? JSON.stringify(json) : undefined,
                });
                await sent.arrayBuffer();
                if (!sent.ok) {
                  ok = false;
                  break;
                }
              }
              if (ok) delivered += o.metadata.length;
            } else {
              for (const r of requests) {
                const answer = await postJson(`${base}/v1/destinations/salesforce/proxy`, {
                  ...r,
                  metadata: o.metadata,
                  destinationConfig: o.destination.Config,
                });
                delivered += (
                  answer.json as { output: { response: Array<{ statusCode: number }> } }
                ).output.response.filter((e) => e.statusCode === 200).length;
              }
            }
          });
        });
        const seconds = (performance.now() - started) / 1000;
        const stats = emulator.state.getStats();
        const per1000 = (stats.apiCalls / EVENTS) * 1000;
        lines.push(
          `  ${mode.padEnd(6)} ${String(jobsPerCall).padStart(3)} jobs/call: ${delivered}/${EVENTS} delivered in ${seconds.toFixed(2)} s = ` +
            `${Math.round(delivered / seconds).toLocaleString('en-US')} events/s; ${Math.round(per1000)} API calls per 1,000 ` +
            `(RudderStack: 2,000, ${(2000 / Math.max(per1000, 1)).toFixed(1)}× fewer); ${outputsCount} router outputs; ${stats.tokenRequests} token request(s)`,
        );
      }
    }
  } finally {
    for (const { server } of servers) await new Promise((r) => server.close(r));
    await emulator.close();
  }
  for (const line of lines) console.log(line);
}

await main();
