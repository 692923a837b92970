// Salesforce API calls per 1,000 events, counted by the local emulator exactly as Salesforce counts
// them against the org's daily limit, and events/s through the executor over real HTTP.
// `npx tsx bench/sections/api-calls.ts` prints the lines (bench/run.ts runs it as a section).
import { executeEvents } from '../../src/deliver/execute.js';
import { RestSalesforceClient, type SalesforceClient } from '../../src/deliver/salesforce-client.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import type { Operation } from '../../src/operation/operation.js';

/** What the shipped lead mapping produces for an identify: upsert matched by Email, defaults on create. */
function identify(email: string, title: string): { operations: Operation[] } {
  return {
    operations: [
      {
        mapping: 'lead',
        object: 'Lead',
        operation: 'upsert',
        match: { operator: 'OR', fields: { Email: email } },
        fields: { Email: email, Title: title },
        createFields: { LastName: 'n/a', Company: 'n/a' },
        follow: {
          when: 'IsConverted',
          idField: 'ConvertedContactId',
          object: 'Contact',
          fields: { Email: email, Title: title },
        },
        http: [],
      },
    ],
  };
}

function externalUpsert(key: string): { operations: Operation[] } {
  return {
    operations: [
      {
        mapping: 'contact',
        object: 'Contact',
        operation: 'upsert',
        externalId: { field: 'Ext__c', value: key },
        fields: { LastName: `L-${key}` },
        bulk: true,
        http: [],
      },
    ],
  };
}

function clientFor(emulator: RunningEmulator): SalesforceClient {
  const token = emulator.state.issueToken();
  const session = { accessToken: token.access_token, instanceUrl: emulator.url };
  return new RestSalesforceClient(
    { current: async () => session, renew: async () => session },
    '66.0',
    30_000,
    session,
  );
}

interface Mix {
  name: string;
  /** What the peers spend on the same events. */
  peers: string;
  seed: number;
  events: () => Array<{ operations: Operation[] }>;
  options?: Parameters<typeof executeEvents>[2];
}

const MIXES: Mix[] = [
  {
    name: '(a) 1,000 identifies, all new leads',
    peers: 'peers 2000',
    seed: 0,
    events: () => Array.from({ length: 1000 }, (_, i) => identify(`new${i}@example.com`, 't')),
  },
  {
    name: '(b) 1,000 identifies, all existing leads',
    peers: 'peers 2000',
    seed: 1000,
    events: () => Array.from({ length: 1000 }, (_, i) => identify(`old${i}@example.com`, 't')),
  },
  {
    name: '(c) half new, half existing, 10% repeated',
    peers: 'peers 2000',
    seed: 450,
    events: () => {
      const list = Array.from({ length: 900 }, (_, i) =>
        identify(i % 2 === 0 ? `old${i / 2}@example.com` : `new${i}@example.com`, 't1'),
      );
      for (let k = 0; k < 100; k++)
        list.push(identify(k % 2 === 0 ? `OLD${k * 5}@example.com` : `new${k * 18 + 1}@example.com`, 't2'));
      return list;
    },
  },
  {
    name: '(d) 1,000 external-id upserts via Bulk API 2.0',
    peers: 'target ≤ 10',
    seed: 0,
    events: () => Array.from({ length: 1000 }, (_, i) => externalUpsert(`k${i}`)),
    options: { bulkPoll: { initialIntervalMs: 50, maxIntervalMs: 1000 } },
  },
];

export async function runApiCallBench(): Promise<string[]> {
  const emulator = await startEmulator({
    seed: 3,
    objects: [{ name: 'Contact', fields: { Ext__c: { type: 'string', length: 40, externalId: true } } }],
  });
  const lines: string[] = [
    'Salesforce API calls per 1,000 events (emulator call counter; peers: 2,000 per 1,000 identifies)',
  ];
  try {
    for (const mix of MIXES) {
      emulator.state.reset();
      if (mix.seed > 0) {
        emulator.state.seed(
          'Lead',
          Array.from({ length: mix.seed }, (_, i) => ({
            Email: `old${i}@example.com`,
            LastName: `L${i}`,
            Company: 'Acme',
          })),
        );
      }
      const events = mix.events();
      const started = performance.now();
      const out = await executeEvents(events, clientFor(emulator), mix.options);
      const ms = performance.now() - started;
      const stats = emulator.state.getStats();
      const delivered = out.filter((o) => o.statusCode === 200).length;
      const perThousand = (stats.apiCalls * 1000) / events.length;
      const routes = Object.entries(stats.byPath)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      lines.push(
        `  ${mix.name.padEnd(48)} ${String(perThousand).padStart(5)} calls  (${mix.peers})  ${delivered}/${events.length} delivered  ${Math.round(ms)} ms  [${routes}]`,
      );
    }

    // Throughput: 10 batches of 1,000 mixed identifies, one after another, over HTTP.
    emulator.state.reset();
    emulator.state.seed(
      'Lead',
      Array.from({ length: 5000 }, (_, i) => ({ Email: `old${i}@example.com`, LastName: `L${i}`, Company: 'Acme' })),
    );
    const client = clientFor(emulator);
    let delivered = 0;
    const started = performance.now();
    for (let b = 0; b < 10; b++) {
      const batch = Array.from({ length: 1000 }, (_, i) =>
        identify(i % 2 === 0 ? `old${b * 500 + i / 2}@example.com` : `new${b}-${i}@example.com`, `b${b}`),
      );
      delivered += (await executeEvents(batch, client)).filter((o) => o.statusCode === 200).length;
    }
    const seconds = (performance.now() - started) / 1000;
    const stats = emulator.state.getStats();
    lines.push(
      `  throughput: ${delivered} identifies in ${seconds.toFixed(2)} s = ${Math.round(delivered / seconds)} events/s ` +
        `(executor + REST client + emulator over HTTP, one process; ${stats.apiCalls} API calls)`,
    );
  } finally {
    await emulator.close();
  }
  return lines;
}

for (const line of await runApiCallBench()) console.log(line);
