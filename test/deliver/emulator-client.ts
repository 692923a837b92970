// A REST client bound to a running emulator, with a session issued directly (no OAuth dance).
import { RestSalesforceClient, type SalesforceClient } from '../../src/deliver/salesforce-client.js';
import type { RunningEmulator } from '../../src/emulator/emulator.js';

export function emulatorClient(emulator: RunningEmulator, apiVersion = '66.0'): SalesforceClient {
  const session = () => {
    const token = emulator.state.issueToken();
    return { accessToken: token.access_token, instanceUrl: emulator.url };
  };
  let current = session();
  return new RestSalesforceClient(
    {
      current: async () => current,
      renew: async () => (current = session()),
    },
    apiVersion,
    10_000,
  );
}
