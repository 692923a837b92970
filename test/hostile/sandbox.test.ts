// Regressions for issue 9's findings about JSONata: each once aborted or stalled the server.
import { expect } from 'chai';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { transformItems } from '../../src/mapping/transform.js';
import { inlinePolicy } from '../../src/mapping/inline-policy.js';
import { scratchMappings } from '../cli/buffer-io.js';
import { inlineItem } from './corpus.js';

describe('untrusted JSONata: bounded, off the event loop', function () {
  this.timeout(30_000);
  const store = new MappingStore();
  store.load();

  /** The longest the event loop was held while `work` ran (ms). */
  async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stall: number }> {
    let last = performance.now();
    let stall = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      stall = Math.max(stall, now - last);
      last = now;
    }, 5);
    try {
      const result = await work();
      return { result, stall };
    } finally {
      clearInterval(tick);
    }
  }

  it('a backtracking regex on 28 characters answers at once (linear-time engine)', async () => {
    const s = 'a'.repeat(28) + '!';
    await transformItems([inlineItem('$join(["warm", "up"])')], store.current); // sandbox processes started
    const started = performance.now();
    const [r] = await transformItems([inlineItem('$exists($match(properties.s, /(a+)+$/))', 1, { s })], store.current);
    expect(r.statusCode).to.equal(200);
    if (r.statusCode === 200) expect(r.output[0].fields.Subject).to.equal('false');
    expect(performance.now() - started).to.be.below(2000); // was 6 s of CPU, with every client waiting
  });

  it('a careless regex in a mapping file, fed a crafted trait, cannot stall the server either', async () => {
    const dir = scratchMappings();
    try {
      writeFileSync(
        join(dir, 'salesforce', 'careless.yaml'),
        'name: careless\nwhen: type = "track" and $exists($match(properties.s, /(x+x+)+y/))\nobject: Case\noperation: create\nfields:\n  Subject: "\'x\'"\n',
      );
      const files = new MappingStore(dir);
      expect(files.load().problems).to.deep.equal([]);
      const item = {
        message: { type: 'track', event: 'T', properties: { s: 'x'.repeat(5000) }, integrations: { Salesforce: true } },
        metadata: { jobId: 1 },
      };
      const { result, stall } = await longestStall(() => transformItems([item], files.current));
      expect(result[0].statusCode).to.equal(298); // no match: nothing fires
      expect(stall).to.be.below(250);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("$pad to 140 million characters is that event's 400, naming rule and field; its neighbours are mapped", async () => {
    const good = inlineItem('$join(["ok", "x"], "-")', 2);
    const { result, stall } = await longestStall(() =>
      transformItems(
        [inlineItem('$substring($pad("", 140000000), 0, 3)'), good, inlineItem('$length($pad("", 140000000))', 3)],
        store.current,
      ),
    );
    expect(result.map((r) => r.statusCode)).to.deep.equal([400, 200, 400]);
    expect((result[0] as { error: string }).error).to.match(
      /^mapping hostile, fields\.Subject .*\$pad width 140000000 is beyond the limit/,
    );
    expect(stall).to.be.below(250);
  });

  it('a memory bomb stops only its sandbox process: the event gets a 400, the next evaluation works', async () => {
    const bomb = inlineItem('$length($reduce([1..27], function($a, $i){ $a & $a }, "x"))');
    const { result, stall } = await longestStall(() =>
      transformItems([bomb, inlineItem('$join(["still", "here"], " ")', 2)], store.current),
    );
    expect(result[0].statusCode).to.equal(400);
    expect((result[0] as { error: string }).error).to.match(
      /mapping hostile, fields\.Subject .*(exceeded 64 MB of memory|exceeded 200 ms|took longer than)/,
    );
    expect(result[1].statusCode).to.equal(200);
    if (result[1].statusCode === 200) expect(result[1].output[0].fields.Subject).to.equal('still here');
    expect(stall).to.be.below(250);
  });

  it('INLINE_MAPPINGS=off refuses inline rules with a clear 400 and keeps named rules working', async () => {
    const before = inlinePolicy.mode;
    inlinePolicy.mode = 'off';
    try {
      const named = {
        message: { type: 'identify', traits: { email: 'a@example.com' }, integrations: { Salesforce: true } },
        metadata: { jobId: 2 },
        destination: { Config: { mappings: ['lead'] } },
      };
      const [inline, byName] = await transformItems([inlineItem('"x"'), named], store.current);
      expect(inline).to.include({ statusCode: 400, errorCode: 'INVALID_MAPPING' });
      expect((inline as { error: string }).error).to.match(
        /^destination\.Config\.mappings\[0\]: inline rules are turned off on this server \(INLINE_MAPPINGS=off\)/,
      );
      expect(byName.statusCode).to.equal(200);
    } finally {
      inlinePolicy.mode = before;
    }
  });

  it('inline rules with a 1 MB description are refused, and 30 of them do not grow the heap', async () => {
    const heap = process.memoryUsage().heapUsed;
    for (let i = 0; i < 30; i++) {
      const item = {
        ...inlineItem('"x"'),
        destination: {
          Config: {
            mappings: [
              {
                name: `big${i}`,
                description: `${i}`.repeat((1024 * 1024) / `${i}`.length),
                when: 'true',
                object: 'Case',
                operation: 'create',
                fields: { Subject: '"x"' },
              },
            ],
          },
        },
      };
      const [r] = await transformItems([item], store.current);
      expect(r.statusCode).to.equal(400);
      expect((r as { error: string }).error).to.match(/MAX_INLINE_RULE_BYTES/);
    }
    // Before: +36 MB retained per request (a 768 MB heap died after 21).
    expect(process.memoryUsage().heapUsed - heap).to.be.below(200 * 1024 * 1024);
  });
});
