// End to end: events → POST /transform → POST /proxy → the emulated org's records. The app is the
// real one (createApp), pointed at a local emulator through the operator settings a user would set.
import { expect } from 'chai';
import request from 'supertest';
import { createApp, type AppOptions } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import {
  DEFAULT_CLIENT,
  DEFAULT_USER,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from '../../src/emulator/emulator.js';
import type { Express } from 'express';

export interface ProxyItem {
  metadata: Record<string, unknown>;
  statusCode: number;
  error?: string;
  errorCode?: string;
  authErrorCategory?: string;
  results?: Array<{ object: string; id: string; created: boolean; droppedFields?: string[] }>;
  skipped?: Array<{ object: string; code: string; id?: string; message: string }>;
}

export interface Harness {
  emulator: RunningEmulator;
  app: Express;
  /** Password-flow destination for the emulator's default user. */
  destination: { Config: Record<string, unknown> };
  /** Maps events; every event must map (status 200) — returns the /proxy input items. */
  transform(
    events: object[],
    destination?: { Config: Record<string, unknown> },
  ): Promise<Array<Record<string, unknown>>>;
  proxy(items: object[]): Promise<ProxyItem[]>;
  /** transform then proxy. */
  deliver(events: object[], destination?: { Config: Record<string, unknown> }): Promise<ProxyItem[]>;
  records(object: string): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

const SETTINGS = [
  'ALLOWED_SALESFORCE_HOSTS',
  'SALESFORCE_LOGIN_URL',
  'SALESFORCE_CLIENT_ID',
  'SALESFORCE_CLIENT_SECRET',
  'PROXY_TIMEOUT_MS',
  'SALESFORCE_API_BUDGET_CALLS',
  'SALESFORCE_API_BUDGET_SHARE',
  'REDIS_URL',
  'SALESFORCE_UNKNOWN_FIELDS',
  'SALESFORCE_DESCRIBE_TTL_SECONDS',
] as const;

export async function startHarness(
  options: { emulator?: EmulatorOptions; env?: Record<string, string>; shared?: AppOptions['shared'] } = {},
): Promise<Harness> {
  const emulator = await startEmulator(options.emulator);
  const saved = Object.fromEntries(SETTINGS.map((k) => [k, process.env[k]]));
  // The operator's settings for a local org: allow the emulator's loopback host, log in there.
  Object.assign(process.env, {
    ALLOWED_SALESFORCE_HOSTS: '127.0.0.1',
    SALESFORCE_LOGIN_URL: emulator.url,
    SALESFORCE_CLIENT_ID: DEFAULT_CLIENT.clientId,
    SALESFORCE_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    PROXY_TIMEOUT_MS: '5000',
    ...options.env,
  });
  let app: Express;
  try {
    app = createApp({ logger: createLogger('silent'), shared: options.shared }).app;
  } finally {
    for (const k of SETTINGS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
  const destination = {
    Config: {
      userName: DEFAULT_USER.username,
      password: DEFAULT_USER.password,
      initialAccessToken: DEFAULT_USER.securityToken ?? '',
    },
  };
  let jobId = 0;
  const h: Harness = {
    emulator,
    app,
    destination,
    async transform(events, dest = destination) {
      const res = await request(app)
        .post('/transform')
        .send(events.map((message) => ({ message, metadata: { jobId: ++jobId }, destination: dest })));
      expect(res.status).to.equal(200);
      for (const r of res.body) expect(r.statusCode, JSON.stringify(r)).to.equal(200);
      return res.body.map((r: { metadata: unknown; output: unknown }) => ({
        metadata: r.metadata,
        destination: dest,
        output: r.output,
      }));
    },
    async proxy(items) {
      const res = await request(app).post('/proxy').send(items);
      expect(res.status).to.equal(200);
      expect(res.body).to.have.length(items.length);
      return res.body;
    },
    async deliver(events, dest = destination) {
      return h.proxy(await h.transform(events, dest));
    },
    records(object) {
      return emulator.state.list(object);
    },
    close: () => emulator.close(),
  };
  return h;
}

/** An identify the shipped lead mapping takes (opted in to Salesforce). */
export function identify(traits: Record<string, unknown>, extra: Record<string, unknown> = {}): object {
  return {
    type: 'identify',
    userId: String(traits.email ?? 'u'),
    traits,
    integrations: { Salesforce: true },
    ...extra,
  };
}
