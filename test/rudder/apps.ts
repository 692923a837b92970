// One emulated org and the real app in each delivery mode, configured through the operator
// settings a user sets (loopback host allowed, login at the emulator, the emulator's connected app).
import type { Express } from 'express';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { deliveryDepsFromEnv } from '../../src/rudder/destination-access.js';
import { DEFAULT_CLIENT, DEFAULT_USER, startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';

export interface Apps {
  emulator: RunningEmulator;
  direct: Express;
  proxy: Express;
  close(): Promise<void>;
}

const SETTINGS = [
  'ALLOWED_SALESFORCE_HOSTS',
  'SALESFORCE_LOGIN_URL',
  'SALESFORCE_CLIENT_ID',
  'SALESFORCE_CLIENT_SECRET',
  'PROXY_TIMEOUT_MS',
] as const;

export async function startApps(): Promise<Apps> {
  const emulator = await startEmulator();
  const env = {
    ALLOWED_SALESFORCE_HOSTS: '127.0.0.1',
    SALESFORCE_LOGIN_URL: emulator.url,
    SALESFORCE_CLIENT_ID: DEFAULT_CLIENT.clientId,
    SALESFORCE_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    PROXY_TIMEOUT_MS: '5000',
  };
  // POST /proxy reads process.env when the app is built; the rudder routes get the same settings explicitly.
  const saved = Object.fromEntries(SETTINGS.map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const logger = createLogger('silent');
    const build = (mode: 'direct' | 'proxy'): Express =>
      createApp({ logger, playground: false, rudder: { mode, delivery: deliveryDepsFromEnv(env) } }).app;
    return { emulator, direct: build('direct'), proxy: build('proxy'), close: () => emulator.close() };
  } finally {
    for (const k of SETTINGS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

/** The username-password destination of the emulator's default user. */
export function passwordConfig(): Record<string, unknown> {
  return {
    userName: DEFAULT_USER.username,
    password: DEFAULT_USER.password,
    initialAccessToken: DEFAULT_USER.securityToken ?? '',
  };
}

/** A RudderStack identify as its SDKs send it (integrations.All, traits in context.traits). */
export function identify(email: string, traits: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'identify',
    userId: email ? `user-${email}` : 'user-anon',
    anonymousId: 'anon-1',
    integrations: { All: true },
    context: { traits: { email, firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines', ...traits } },
  };
}
