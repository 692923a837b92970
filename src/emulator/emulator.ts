// Programmatic entry: start an emulated Salesforce org on a local port and get its state object.

import type { AddressInfo } from 'node:net';
import { createEmulatorServer } from './http-server.js';
import { EmulatorState, type EmulatorOptions } from './state.js';

export { EmulatorState, DEFAULT_CLIENT, DEFAULT_USER } from './state.js';
export type { EmulatorOptions, EmulatorSettings } from './state.js';
export type { FaultSpec, FaultAction, FaultMatcher } from './faults.js';
export type { RecordFault, DuplicateRule, LockRule } from './records.js';
export type { ObjectDefinition } from './object-registry.js';
export type { EmulatorStats } from './stats.js';
export type { StoredRecord } from './store.js';
export type { TokenResponse, EmulatorUser, EmulatorClient } from './oauth.js';

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:8089 (the instance URL and the login URL). */
  url: string;
  state: EmulatorState;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = new EmulatorState(options);
  const server = createEmulatorServer(state);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  state.instanceUrl = url;
  return {
    url,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
