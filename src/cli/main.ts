#!/usr/bin/env node
// `sfmap`: the mapping editor's tools, thin over the functions the server uses.
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_MAPPINGS_DIR } from '../mapping/mapping-store.js';
import { DEFAULT_API_VERSION } from '../salesforce/api-names.js';
import { DEFAULT_OBJECTS_DIR } from '../salesforce/object-catalog.js';
import { InputError } from './event-input.js';
import { processIo } from './io.js';
import { objectsPullCommand } from './objects-pull-command.js';
import { replayCommand } from './replay-command.js';
import { statusCommand, syncCommand } from './source-command.js';
import { testCommand } from './test-command.js';
import { transformCommand } from './transform-command.js';
import { validateCommand } from './validate-command.js';

const mappingsDir = (given?: string) => given ?? process.env.MAPPINGS_DIR ?? DEFAULT_MAPPINGS_DIR;

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
};

const program = new Command()
  .name('sfmap')
  .description('Check, try and test Salesforce mapping files; replay events through a running server.')
  .showHelpAfterError();

program
  .command('validate')
  .description('load every mapping file and report each problem as file:line:col: message (exit 1 if any)')
  .argument('[dir]', 'mappings folder (default: $MAPPINGS_DIR, else the shipped mappings/)')
  .option('-q, --quiet', 'print nothing when there are no problems')
  .action((dir: string | undefined, opts: { quiet?: boolean }) => {
    process.exitCode = validateCommand({ dir: mappingsDir(dir), quiet: opts.quiet }, processIo);
  });

program
  .command('transform')
  .description('print the operations and HTTP requests events produce, as POST /transform would')
  .requiredOption(
    '-e, --event <file>',
    'JSON file: a message, an item {message, metadata, destination}, or an array of them',
  )
  .option('-c, --config <file>', 'JSON file with destination.Config, for events that carry no destination')
  .option('-m, --mappings <dir>', 'mappings folder (default: $MAPPINGS_DIR, else the shipped mappings/)')
  .option('-x, --explain', 'show which rules fired and why the others did not')
  .option('--json', 'print the /transform answer as JSON')
  .action(async (opts: { event: string; config?: string; mappings?: string; explain?: boolean; json?: boolean }) => {
    process.exitCode = await transformCommand({ ...opts, mappings: mappingsDir(opts.mappings) }, processIo);
  });

program
  .command('test')
  .description(
    'run golden fixtures (<name>.input.json → <name>.expected.json) against the mappings; exit 1 on failures',
  )
  .argument('[fixtures-dir]', 'folder of fixtures', 'test/fixtures/transform')
  .option('-m, --mappings <dir>', 'mappings folder (default: $MAPPINGS_DIR, else the shipped mappings/)')
  .option('-u, --update', 'rewrite the expected files of failing cases with the actual answer (review the diff)')
  .action(async (fixtures: string, opts: { mappings?: string; update?: boolean }) => {
    process.exitCode = await testCommand(
      { fixtures, mappings: mappingsDir(opts.mappings), update: opts.update },
      processIo,
    );
  });

program
  .command('replay')
  .description('send a file of events (one JSON message or item per line) through a running server')
  .argument('<events>', 'newline-delimited JSON file')
  .requiredOption('-t, --to <url>', 'the server, like http://127.0.0.1:8080')
  .option('-b, --batch <n>', 'events per request', positiveInt, 100)
  .option('-n, --concurrency <n>', 'requests in flight', positiveInt, 4)
  .option('-p, --proxy', 'also deliver the 200 results through /proxy (credentials from the config or the events)')
  .option('-c, --config <file>', 'JSON file with destination.Config, for events that carry no destination')
  .action(
    async (
      file: string,
      opts: { to: string; batch: number; concurrency: number; proxy?: boolean; config?: string },
    ) => {
      process.exitCode = await replayCommand({ file, ...opts }, processIo);
    },
  );

program
  .command('objects')
  .description('Salesforce object metadata (mappings/salesforce/objects/)')
  .command('pull')
  .description(
    "write <Object>.yaml from the org's describe, so mappings can target the org's objects and custom fields",
  )
  .argument('<objects...>', 'object API names, like Task Invoice__c')
  .option(
    '-u, --instance-url <url>',
    'the org, like https://acme.my.salesforce.com (default: $SALESFORCE_INSTANCE_URL)',
  )
  .option('-o, --out <dir>', 'folder to write to', DEFAULT_OBJECTS_DIR)
  .option('-v, --api-version <version>', 'REST API version', DEFAULT_API_VERSION)
  .action(async (objects: string[], opts: { instanceUrl?: string; out: string; apiVersion: string }) => {
    // The token comes from the environment only: a command-line argument would sit in shell history.
    const instanceUrl = opts.instanceUrl ?? process.env.SALESFORCE_INSTANCE_URL;
    const accessToken = process.env.SALESFORCE_ACCESS_TOKEN;
    if (!instanceUrl || !accessToken) {
      process.stderr.write(
        'sfmap objects pull: set --instance-url (or $SALESFORCE_INSTANCE_URL) and $SALESFORCE_ACCESS_TOKEN\n',
      );
      process.exitCode = 2;
      return;
    }
    process.exitCode = await objectsPullCommand(
      { objects, instanceUrl, accessToken, out: opts.out, apiVersion: opts.apiVersion },
      processIo,
    );
  });

const source = program
  .command('source')
  .description('sync Salesforce objects into a warehouse (DuckDB by default, or PostgreSQL)');

const configOption = '-c, --config <file>';
const configHelp = 'sync configuration, YAML or JSON (default: $SFMAP_SOURCE_CONFIG, else sfmap-source.yaml)';
const sourceConfig = (given?: string) => given ?? process.env.SFMAP_SOURCE_CONFIG ?? 'sfmap-source.yaml';

source
  .command('sync')
  .description(
    'sync every source on a schedule (default every 3 h); --once: one run, then exit (1 if a collection failed)',
  )
  .option(configOption, configHelp)
  .option('--once', 'one run of each source, then exit')
  .option('--collections <names...>', 'only these collections (table names: leads, accounts, …)')
  .option(
    '--full-refresh [names...]',
    'ignore the cursor and read everything again: of these collections, or all when none are named',
  )
  .option('--source <nickname>', 'only this source')
  .option('--json', "no progress bars or table: only the run's JSON line")
  .action(
    async (opts: {
      config?: string;
      once?: boolean;
      collections?: string[];
      fullRefresh?: string[] | true;
      source?: string;
      json?: boolean;
    }) => {
      process.exitCode = await syncCommand({ ...opts, config: sourceConfig(opts.config) }, processIo);
    },
  );

source
  .command('worker')
  .description(
    'a sync worker on BullMQ (needs REDIS_URL): run as many as you like, each source syncs once per schedule, one run per org at a time',
  )
  .option(configOption, configHelp)
  .option('--collections <names...>', 'only these collections (table names: leads, accounts, …)')
  .option('--source <nickname>', 'only this source')
  .action(async (opts: { config?: string; collections?: string[]; source?: string }) => {
    process.exitCode = await syncCommand(
      { ...opts, config: sourceConfig(opts.config), worker: true, json: true },
      processIo,
    );
  });

source
  .command('status')
  .description("each collection's cursor and last run, read from the warehouse")
  .option(configOption, configHelp)
  .option('--json', 'print JSON')
  .action(async (opts: { config?: string; json?: boolean }) => {
    process.exitCode = await statusCommand({ config: sourceConfig(opts.config), json: opts.json }, processIo);
  });

try {
  await program.parseAsync();
} catch (err) {
  // Unreadable input is the user's to fix: one line, no stack.
  const known = err instanceof InputError || (err as NodeJS.ErrnoException).code !== undefined;
  process.stderr.write(`sfmap: ${(err as Error).message}\n`);
  if (!known) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
  process.exitCode = 2;
}
