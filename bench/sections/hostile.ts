// Hostile input (issue 9): what the expression sandbox costs per event, normal traffic latency
// while a hostile client runs the corpus, and RSS over 10,000 distinct inline configs.
// Figures on a loaded machine are noisy: compare the ratios printed in one run.
import { closeSandboxes, sandbox } from '../../src/mapping/expression-sandbox.js';
import { prepareJsonata } from '../../src/mapping/jsonata-engine.js';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { transformItems } from '../../src/mapping/transform.js';
import { attack, startServer } from '../../test/hostile/attack.js';
import { hostileCorpus, inlineItem } from '../../test/hostile/corpus.js';

const ms = (n: number) => n.toFixed(3);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function perEvent(items: unknown[], store: MappingStore): Promise<number> {
  const t = performance.now();
  await transformItems(items, store.current);
  return (performance.now() - t) / items.length;
}

async function sandboxCost(): Promise<void> {
  const store = new MappingStore();
  store.load();
  const props = { tags: ['a', 'b', 'c'], priority: 'High' };
  const slow = Array.from({ length: 2000 }, (_, i) => inlineItem('$join(properties.tags, ", ")', i, props));
  const fast = Array.from({ length: 2000 }, (_, i) => inlineItem('properties.priority', i, props));
  await perEvent(slow.slice(0, 50), store); // start the sandbox processes
  await perEvent(fast.slice(0, 50), store);
  const fastMs = await perEvent(fast, store);
  const slowMs = await perEvent(slow, store);
  // The same evaluation in this process, as it ran before the sandbox (JSONata only, no mapping).
  const expr = prepareJsonata('$join(properties.tags, ", ")');
  const input = slow[0].message;
  let t = performance.now();
  for (let i = 0; i < 2000; i++) await expr.evaluate(input, { properties: props });
  const inProcess = (performance.now() - t) / 2000;
  const pool = sandbox('clients');
  t = performance.now();
  for (let i = 0; i < 2000; i++) await pool.evaluate('$join(properties.tags, ", ")', input, { properties: props });
  const roundTrip = (performance.now() - t) / 2000;
  t = performance.now();
  await Promise.all(
    Array.from({ length: 2000 }, () => pool.evaluate('$join(properties.tags, ", ")', input, { properties: props })),
  );
  const pipelined = (performance.now() - t) / 2000;
  console.log('sandbox cost (2,000 events, one JSONata field):');
  console.log(
    `  mapped per event: fast-path rule ${ms(fastMs)} ms, JSONata rule (sandboxed) ${ms(slowMs)} ms → sandbox + JSONata add ${ms(slowMs - fastMs)} ms/event`,
  );
  console.log(
    `  one evaluation: in-process JSONata ${ms(inProcess)} ms, sandbox round trip ${ms(roundTrip)} ms (${(roundTrip / inProcess).toFixed(1)}x), pipelined ${ms(pipelined)} ms`,
  );
}

async function underAttack(): Promise<void> {
  const target = await startServer();
  try {
    await fetch(`${target.base}/transform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([inlineItem('$join(["a"], "")')]),
    });
    const idle = { name: 'idle', path: '/transform' as const, body: '[]', status: 200 };
    const baseline = await attack(
      target,
      Array.from({ length: 300 }, () => idle),
      { clients: 1 },
    );
    const report = await attack(target, hostileCorpus, { rounds: 2 });
    const line = (name: string, xs: number[]) =>
      `  ${name}: n=${xs.length} p50 ${pct(xs, 0.5).toFixed(1)} ms, p99 ${pct(xs, 0.99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
    console.log('normal /transform latency (identify, shipped rules), server in its own process:');
    console.log(line('alone          ', baseline.latencies));
    console.log(line('under attack   ', report.latencies));
    const held = report.latencies.map((l, i) => Math.min(l, report.serverBusy[i]));
    console.log(`  held by the server's own work under attack: max ${Math.max(...held).toFixed(1)} ms`);
    console.log(
      `  attack: ${hostileCorpus.length * 2} hostile requests in ${(report.ms / 1000).toFixed(1)} s, wrong answers ${report.failures.length}, 5xx ${report.statuses.filter((s) => s >= 500).length}, crashed ${report.crashed ?? 'no'}`,
    );
  } finally {
    target.stop();
  }
}

async function rssOverConfigs(): Promise<void> {
  const store = new MappingStore();
  store.load();
  const rss = () => Math.round(process.memoryUsage().rss / 1024 / 1024);
  const samples: string[] = [`0: ${rss()} MB`];
  for (let i = 1; i <= 10_000; i++) {
    const item = inlineItem('properties.priority', i, { priority: 'High' });
    // A distinct Config each time: a distinct rule name and a 2 KB description.
    const rule = item.destination.Config.mappings[0] as Record<string, unknown>;
    rule.name = `rule-${i}`;
    rule.description = `${i} `.repeat(2048 / `${i} `.length);
    await transformItems([item], store.current);
    if (i % 2000 === 0) samples.push(`${i}: ${rss()} MB`);
  }
  console.log(`RSS over 10,000 distinct inline configs (2 KB rules): ${samples.join(', ')}`);
}

await sandboxCost();
await rssOverConfigs();
await underAttack();
closeSandboxes();
