// What learning the org's fields costs (issue 10 item 7): describe calls and all Salesforce API
// calls per 1,000 events for a realistic stream — most identifies carry no custom trait, some carry
// custom traits the org has, a few one it lacks — through POST /transform → POST /proxy in the
// router's batches of 20, against the emulator (its call counter is what Salesforce counts).
// The same stream strict (`unknownFields: fail`) for comparison: no describe, and the events with
// an unknown field fail. `npx tsx bench/sections/fidelity.ts` prints the lines.
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { DEFAULT_CLIENT, DEFAULT_USER, startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';

const EVENTS = 4000;
const BATCH = 20;
const PARALLEL = 4;

/** Event i of the stream: 60 % no custom trait, 30 % custom traits the org has, 10 % one it lacks; a third are repeat visitors. */
function event(i: number): Record<string, unknown> {
  const visitor = i % 3 === 0 ? `repeat${i % 300}` : `u${i}`;
  const traits: Record<string, unknown> = {
    email: `${visitor}@example.com`,
    firstName: 'Ada',
    lastName: `L${i}`,
    company: 'Acme',
    title: `t${i % 7}`,
  };
  const kind = i % 10;
  if (kind >= 6) Object.assign(traits, { plan: ['free', 'pro', 'team'][i % 3], Lead_Score: i % 100 });
  if (kind === 9) traits.utmCampaign = `c${i % 5}`;
  return { type: 'identify', userId: visitor, traits, integrations: { Salesforce: true } };
}

async function post(url: string, body: unknown): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as Array<Record<string, unknown>>;
}

interface Run {
  delivered: number;
  dropped: number;
  ms: number;
}

async function stream(base: string, config: Record<string, unknown>): Promise<Run> {
  const destination = { Config: config };
  const batches: number[] = [];
  for (let from = 0; from < EVENTS; from += BATCH) batches.push(from);
  const run: Run = { delivered: 0, dropped: 0, ms: 0 };
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const from = batches[next++];
      const items = Array.from({ length: Math.min(BATCH, EVENTS - from) }, (_, k) => ({
        message: event(from + k),
        metadata: { jobId: from + k },
        destination,
      }));
      const mapped = await post(`${base}/transform`, items);
      const ok = mapped
        .filter((m) => m.statusCode === 200)
        .map((m) => ({ metadata: m.metadata, destination, output: m.output }));
      for (const out of await post(`${base}/proxy`, ok)) {
        if (out.statusCode === 200) run.delivered++;
        const results = (out.results ?? []) as Array<{ droppedFields?: string[] }>;
        if (results.some((r) => r.droppedFields)) run.dropped++;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  run.ms = performance.now() - started;
  return run;
}

function line(name: string, emulator: RunningEmulator, run: Run): string {
  const stats = emulator.state.getStats();
  const describes = Object.entries(stats.byPath)
    .filter(([k]) => k.endsWith('/describe'))
    .reduce((n, [, v]) => n + v, 0);
  const per = (n: number): string => ((n * 1000) / EVENTS).toFixed(2).padStart(7);
  return `  ${name.padEnd(30)} describe ${per(describes)} /1k events (${describes} total)   API calls ${per(stats.apiCalls)} /1k (${stats.apiCalls} total)   delivered ${run.delivered}/${EVENTS}, ${run.dropped} with droppedFields   ${Math.round(run.ms)} ms`;
}

export async function runFidelityBench(): Promise<string[]> {
  // The org has plan__c and Lead_Score__c (shipped in the emulator's Lead), not utmCampaign__c.
  const emulator = await startEmulator({
    seed: 11,
    objects: [{ name: 'Lead', fields: { plan__c: { type: 'string', length: 40 } } }],
  });
  Object.assign(process.env, {
    ALLOWED_SALESFORCE_HOSTS: '127.0.0.1',
    SALESFORCE_LOGIN_URL: emulator.url,
    SALESFORCE_CLIENT_ID: DEFAULT_CLIENT.clientId,
    SALESFORCE_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
  });
  const credentials = {
    userName: DEFAULT_USER.username,
    password: DEFAULT_USER.password,
    initialAccessToken: DEFAULT_USER.securityToken ?? '',
  };
  const lines = [
    `Unknown custom fields (issue 10 item 7): ${EVENTS} identifies in /proxy batches of ${BATCH} (60 % no custom trait, 30 % known custom traits, 10 % also one the org lacks)`,
  ];
  try {
    for (const [name, config] of [
      ['unknownFields drop (default)', credentials],
      ['unknownFields fail (strict)', { ...credentials, unknownFields: 'fail' }],
    ] as const) {
      // A fresh app each time: its describe cache starts empty, as after a restart.
      const { app } = createApp({ logger: createLogger('silent'), watch: false, playground: false });
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      try {
        emulator.state.reset();
        emulator.state.defineObject({ name: 'Lead', fields: { plan__c: { type: 'string', length: 40 } } });
        const run = await stream(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, config);
        lines.push(line(name, emulator, run));
      } finally {
        await new Promise((r) => server.close(r));
      }
    }
    lines.push(
      '  bound: one describe per org and object per SALESFORCE_DESCRIBE_TTL_SECONDS (default 3600 → at most 24 a day per object, +1 a minute at most after an INVALID_FIELD)',
    );
  } finally {
    await emulator.close();
  }
  return lines;
}

for (const l of await runFidelityBench()) console.log(l);
