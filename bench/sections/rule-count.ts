// Cost of many loaded rules: the same identify batch mapped with the shipped rules (5 active for
// identify) and with 45 more track rules added (50+ loaded), in process, same run.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import type { MappingSet } from '../../src/mapping/mapping-set.js';
import { transformItems } from '../../src/mapping/transform.js';
import { identifyItem } from '../events.js';

const extraRule = (i: number) => `name: extra-${i}
when: type = "track" and event = "Event ${i}"
object: Case
operation: create
fields:
  Subject: properties.subject
  Priority: properties.priority
  SuppliedEmail: $coalesce(properties.email, $traits.email)
  Description: $coalesce(properties.description, "'(none)'")
`;

async function eventsPerSecond(set: MappingSet, body: string, seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let events = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    const items = JSON.parse(body) as unknown[];
    await transformItems(items, set);
    events += items.length;
  }
  return events / ((performance.now() - started) / 1000);
}

export async function runRuleCountBench(seconds = 3): Promise<string[]> {
  const shipped = fileURLToPath(new URL('../../mappings/', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'bench-rules-'));
  try {
    cpSync(shipped, dir, { recursive: true });
    for (let i = 1; i <= 45; i++)
      writeFileSync(join(dir, 'salesforce', `extra-${String(i).padStart(2, '0')}.yaml`), extraRule(i));
    const few = new MappingStore(shipped);
    few.load();
    const many = new MappingStore(dir);
    const report = many.load();
    if (report.problems.length > 0) throw new Error(`bench rules did not load: ${report.problems[0].message}`);
    const body = JSON.stringify(Array.from({ length: 100 }, (_, i) => identifyItem(i)));
    await eventsPerSecond(few.current, body, 0.5); // warm-up
    await eventsPerSecond(many.current, body, 0.5);
    const a = await eventsPerSecond(few.current, body, seconds);
    const b = await eventsPerSecond(many.current, body, seconds);
    return [
      `Rules loaded (in process, identify batches of 100, mapping only):`,
      `  ${few.current.rules.length + few.current.filters.length} rules   ${Math.round(a).toLocaleString('en-US')} events/s`,
      `  ${many.current.rules.length + many.current.filters.length} rules  ${Math.round(b).toLocaleString('en-US')} events/s   ratio ${(b / a).toFixed(2)}`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const line of await runRuleCountBench(Number(process.env.BENCH_SECONDS ?? 3))) console.log(line);
