// `npx tsx bench/heap-diff.ts before.heapsnapshot after.heapsnapshot` (not CI): what grew between two
// V8 heap snapshots (e.g. the two `SOAK_HEAP_SNAPSHOTS` writes of bench/soak.ts), by constructor:
// count and self size. A snapshot follows a full GC, so growth here is retained, i.e. a leak candidate.
import { readFileSync } from 'node:fs';
type Snap = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
};
function summary(file: string): Map<string, { count: number; size: number }> {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snap;
  const f = s.snapshot.meta.node_fields;
  const nf = f.length;
  const iType = f.indexOf('type'),
    iName = f.indexOf('name'),
    iSize = f.indexOf('self_size');
  const types = s.snapshot.meta.node_types[0];
  const out = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < s.nodes.length; i += nf) {
    const type = types[s.nodes[i + iType]];
    let name = type === 'object' || type === 'closure' ? s.strings[s.nodes[i + iName]] : `(${type})`;
    if (type === 'closure') name = `closure ${name}`;
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '(string)';
    const e = out.get(name) ?? { count: 0, size: 0 };
    e.count++;
    e.size += s.nodes[i + iSize];
    out.set(name, e);
  }
  return out;
}
const [a, b] = process.argv.slice(2).map(summary);
const rows = [...new Set([...a.keys(), ...b.keys()])].map((k) => {
  const x = a.get(k) ?? { count: 0, size: 0 },
    y = b.get(k) ?? { count: 0, size: 0 };
  return {
    name: k.slice(0, 60),
    dCount: y.count - x.count,
    dKB: Math.round((y.size - x.size) / 1024),
    count: y.count,
    kB: Math.round(y.size / 1024),
  };
});
const total = (m: Map<string, { size: number }>) => [...m.values()].reduce((n, e) => n + e.size, 0) / 1024 / 1024;
console.log(`total self size: ${total(a).toFixed(1)} MB → ${total(b).toFixed(1)} MB`);
console.table(rows.sort((p, q) => q.dKB - p.dKB).slice(0, 25));
console.table(rows.sort((p, q) => q.dCount - p.dCount).slice(0, 15));
