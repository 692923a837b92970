// Loader warnings (issue 10 item 17): a rule that loads but probably does not do what was meant.
// First one: "A field value that is a bare word (`Origin: Web`) reads an event path no event has and
// is silently dropped: the loader warns (`file:line:col: "Web" reads the event path Web; for the
// text write "'Web'"`)." Warnings are not problems: the rule still loads and serves.
import { expect } from 'chai';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import winston from 'winston';
import { validateCommand } from '../../src/cli/validate-command.js';
import { loadRuleText } from '../../src/mapping/load-rule.js';
import { mapEvent } from '../../src/mapping/map-event.js';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { formatProblem } from '../../src/mapping/problem.js';
import { watchMappings } from '../../src/mapping/watch.js';
import { createApp, loadedStore } from '../../src/server/app.js';
import { loadObjectCatalog } from '../../src/salesforce/object-catalog.js';
import { bufferIo, scratchMappings, SHIPPED_MAPPINGS } from '../cli/buffer-io.js';

const catalog = loadObjectCatalog();
// The seed 001 Case action with the mistake the issue names: line 7 is `  Origin: Web`.
const CASE_RULE = `name: web-case
when: type = "track" and event = "Issue Submitted"
object: Case
operation: create
fields:
  Priority: properties.priority
  Origin: Web
`;
const WARNING = `"Web" reads the event path Web; for the text write "'Web'"`;

function memoryLogger(): { logger: winston.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return {
    lines,
    logger: winston.createLogger({
      level: 'info',
      format: winston.format.json(),
      transports: [new winston.transports.Stream({ stream: sink })],
    }),
  };
}

describe('mapping loader warnings (a bare word read as an event path)', () => {
  it('the shipped mappings load with zero warnings (and zero problems)', () => {
    const report = new MappingStore(SHIPPED_MAPPINGS).load();
    expect(report.problems.map(formatProblem)).to.deep.equal([]);
    expect(report.warnings.map(formatProblem)).to.deep.equal([]);
  });

  it("`Origin: Web` warns at file:line:col with the issue's words; the rule still loads, and the value is indeed dropped", async () => {
    const loaded = loadRuleText('web-case.yaml', CASE_RULE, catalog);
    expect(loaded.problems).to.deep.equal([]);
    expect(loaded.rule).to.not.equal(undefined);
    expect(loaded.warnings!.map(formatProblem)).to.deep.equal([`web-case.yaml:7:11: ${WARNING}`]);
    // Why it deserves a warning: the Case is created without Origin.
    const store = new MappingStore(SHIPPED_MAPPINGS);
    store.load();
    const result = await mapEvent(
      {
        message: { type: 'track', event: 'Issue Submitted', properties: { priority: 'High' } },
        destination: {
          Config: {
            requireIntegrationFlag: false,
            mappings: [
              JSON.parse(
                JSON.stringify({
                  name: 'web-case',
                  when: 'type = "track"',
                  object: 'Case',
                  operation: 'create',
                  fields: { Priority: 'properties.priority', Origin: 'Web' },
                }),
              ),
            ],
            mappingsMode: 'replace',
          },
        },
      },
      store.current,
    );
    expect(result.statusCode).to.equal(200);
    expect((result as { output: Array<{ fields: Record<string, unknown> }> }).output[0].fields).to.deep.equal({
      Priority: 'High',
    });
  });

  it('warns in createDefaults and match too, and for a lowercase word that is no event key', () => {
    const text = `name: t
when: type = "identify"
object: Lead
operation: upsert
match:
  Email: email
fields:
  LastName: $traits.lastName
createDefaults:
  Company: Unknown
`;
    const loaded = loadRuleText('t.yaml', text, catalog);
    expect(loaded.problems).to.deep.equal([]);
    expect(loaded.warnings!.map(formatProblem)).to.deep.equal([
      `t.yaml:6:10: "email" reads the event path email; for the text write "'email'"`,
      `t.yaml:10:12: "Unknown" reads the event path Unknown; for the text write "'Unknown'"`,
    ]);
  });

  it('no warning for what is meant: quoted text, event keys, variables, paths, literals, numbers, functions', () => {
    const values = [
      `"'Web'"`,
      'userId',
      'anonymousId',
      'event',
      'name',
      'type',
      'timestamp',
      'context',
      'traits',
      'properties',
      '$traits.email',
      'properties.email',
      'context.traits.email',
      'true',
      'false',
      'null',
      '5',
      '$coalesce(properties.a, "x")',
      '$settings.useContactId',
      'groupId',
      'messageId',
      'channel',
    ];
    const fields = values.map((v, i) => `  Description${i === 0 ? '' : i}: ${v}`);
    // Lead has one Description field: use custom fields (taken on trust) for the rest.
    const text = `name: t\nwhen: type = "identify"\nobject: Lead\noperation: create\nfields:\n  LastName: $traits.lastName\n  Company: "'x'"\n${fields.map((f, i) => (i === 0 ? f : f.replace(/Description(\d+)/, 'Note$1__c'))).join('\n')}\n`;
    const loaded = loadRuleText('t.yaml', text, catalog);
    expect(loaded.problems.map(formatProblem)).to.deep.equal([]);
    expect(loaded.warnings!.map(formatProblem)).to.deep.equal([]);
  });

  describe('reported by sfmap validate, GET /health and the log at load and reload', () => {
    let dir: string;
    beforeEach(() => {
      dir = scratchMappings();
      writeFileSync(join(dir, 'salesforce/web-case.yaml'), CASE_RULE);
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('sfmap validate prints it as file:line:col: warning: ... and still exits 0', () => {
      const { io, out } = bufferIo();
      expect(validateCommand({ dir }, io)).to.equal(0);
      const line = out.find((l) => l.includes(WARNING));
      expect(line, out.join('\n')).to.match(
        /web-case\.yaml:7:11: warning: "Web" reads the event path Web; for the text write "'Web'"$/,
      );
      expect(out.at(-1)).to.match(/, 0 problems, 1 warning \(\d+ ms\)$/);
    });

    it('GET /health lists it under mappings.warnings, the log says it at load, and again at reload', async () => {
      const { logger, lines } = memoryLogger();
      const saved = process.env.MAPPINGS_DIR;
      process.env.MAPPINGS_DIR = dir;
      let store: MappingStore;
      try {
        store = loadedStore(logger);
      } finally {
        if (saved === undefined) delete process.env.MAPPINGS_DIR;
        else process.env.MAPPINGS_DIR = saved;
      }
      expect(lines.filter((l) => l.message === 'mapping warning').map((l) => String(l.warning))).to.satisfy(
        (ws: string[]) => ws.some((w) => w.endsWith(`web-case.yaml:7:11: ${WARNING}`)),
      );
      const { app } = createApp({ store, logger, watch: false });
      const health = await request(app).get('/health');
      expect(health.status).to.equal(200);
      expect(health.body.mappings.problems).to.deep.equal([]);
      expect(health.body.mappings.warnings).to.have.length(1);
      expect(health.body.mappings.warnings[0]).to.match(
        new RegExp(`web-case\\.yaml:7:11: ${WARNING.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
      );
      expect(health.body.mappings.rules.concat(health.body.mappings.selectable)).to.include('web-case');

      // A reload that moves the line: the log and /health follow it.
      lines.length = 0;
      const reloaded = new Promise<void>((resolve) => {
        const watcher = watchMappings(store, {
          logger,
          debounceMs: 20,
          onReload: () => void watcher.close().then(resolve),
        });
        void watcher.ready.then(() =>
          writeFileSync(
            join(dir, 'salesforce/web-case.yaml'),
            `# moved\n${readFileSync(join(dir, 'salesforce/web-case.yaml'), 'utf8')}`,
          ),
        );
      });
      await reloaded;
      expect(
        lines.some((l) => typeof l.message === 'string' && l.message.endsWith(`web-case.yaml:8:11: ${WARNING}`)),
        JSON.stringify(lines),
      ).to.equal(true);
      expect((await request(app).get('/health')).body.mappings.warnings[0]).to.contain(
        `web-case.yaml:8:11: ${WARNING}`,
      );
    });
  });
});
