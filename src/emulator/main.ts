// `npm run emulator`: a local Salesforce emulator for trying the product without an org.

import { DEFAULT_CLIENT, DEFAULT_USER, startEmulator } from './emulator.js';

const port = Number(process.env.EMULATOR_PORT ?? 8089);
const seed = process.env.EMULATOR_SEED === undefined ? undefined : Number(process.env.EMULATOR_SEED);

const emulator = await startEmulator({ port, host: '127.0.0.1', seed });
// EMULATOR_ROWS=100000: start as a source org already filled with related rows (see docs/emulator-source.md).
const rows = Number(process.env.EMULATOR_ROWS ?? 0);
const filled = rows > 0 ? emulator.state.generate({ rows, seed }) : undefined;
process.stdout.write(
  [
    `Salesforce emulator listening on ${emulator.url}`,
    `  login/instance URL  ${emulator.url}   (SALESFORCE_LOGIN_URL=${emulator.url}, ALLOWED_SALESFORCE_HOSTS=${new URL(emulator.url).host})`,
    `  username            ${DEFAULT_USER.username}`,
    `  password            ${DEFAULT_USER.password}   security token ${DEFAULT_USER.securityToken}`,
    `  client id / secret  ${DEFAULT_CLIENT.clientId} / ${DEFAULT_CLIENT.clientSecret}`,
    `  admin               ${emulator.url}/__emulator/stats, /__emulator/records/Lead, POST /__emulator/reset`,
    ...(filled
      ? [
          `  source org          ${filled.rows} rows in ${Object.keys(filled.counts).length} objects (generated in ${filled.ms} ms); GET /__emulator/source/counts`,
        ]
      : []),
    '',
  ].join('\n'),
);

const stop = (): void => {
  void emulator.close().finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
