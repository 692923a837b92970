// `sfmap transform --event file.json`: what POST /transform answers for these events, printed for a
// person (or as JSON), and with --explain which rule fired and why the others did not.
import type { TransformItem, TransformResult } from '../mapping/event.js';
import type { Explanation } from '../mapping/map-event.js';
import { MappingStore } from '../mapping/mapping-store.js';
import { formatProblem } from '../mapping/problem.js';
import { transformItems } from '../mapping/transform.js';
import type { HttpStep, Operation } from '../operation/operation.js';
import { readConfig, readEventFile } from './event-input.js';
import type { Io } from './io.js';

export interface TransformOptions {
  event: string;
  config?: string;
  explain?: boolean;
  json?: boolean;
  mappings: string;
}

export async function transformCommand(options: TransformOptions, io: Io): Promise<number> {
  const items = readEventFile(options.event, readConfig(options.config));
  const store = new MappingStore(options.mappings);
  const report = store.load();
  if (report.problems.length > 0) {
    io.err(
      `warning: ${report.problems.length} mapping problem(s); those files are not loaded (run \`sfmap validate\`):`,
    );
    for (const p of report.problems) io.err(`  ${formatProblem(p)}`);
  }
  const set = store.current;
  // One call per item so each gets its own explanation; transformItems keeps its per-item handling.
  const answers: { result: TransformResult; explain: Explanation[] }[] = [];
  for (const item of items) {
    const explain: Explanation[] = [];
    const [result] = await transformItems([item], set, options.explain ? { explain } : {});
    answers.push({ result, explain });
  }

  if (options.json) {
    io.out(JSON.stringify(options.explain ? answers : answers.map((a) => a.result), null, 2));
  } else {
    answers.forEach((a, i) => printAnswer(io, i, items[i], a.result, options.explain ? a.explain : undefined));
  }
  return answers.some((a) => a.result.statusCode === 400) ? 1 : 0;
}

function printAnswer(
  io: Io,
  index: number,
  item: TransformItem,
  r: TransformResult,
  explain: Explanation[] | undefined,
): void {
  const meta = item.metadata === undefined ? '' : ` metadata ${JSON.stringify(item.metadata)}`;
  if (r.statusCode === 200) {
    io.out(`item ${index}${meta} → 200, ${r.output.length} operation${r.output.length === 1 ? '' : 's'}`);
    for (const op of r.output) printOperation(io, op);
  } else {
    io.out(`item ${index}${meta} → ${r.statusCode}: ${r.error}${r.statusCode === 400 ? ` (${r.errorCode})` : ''}`);
  }
  if (explain) printExplain(io, explain);
  io.out('');
}

const DISABLED = /^disabled \(enabled: false\)/;

/** Fired rules first; the many `enabled: false` examples in one line rather than one each. */
function printExplain(io: Io, explain: Explanation[]): void {
  io.out('  rules:');
  for (const x of explain.filter((e) => e.fired)) io.out(`    ✓ ${x.rule}: ${x.why}`);
  for (const x of explain.filter((e) => !e.fired && !DISABLED.test(e.why))) io.out(`    ✗ ${x.rule}: ${x.why}`);
  const disabled = explain.filter((e) => !e.fired && DISABLED.test(e.why)).map((e) => e.rule);
  if (disabled.length > 0)
    io.out(
      `    ✗ not enabled (enabled: false; name one in destination.Config.mappings to use it): ${disabled.join(', ')}`,
    );
}

function printOperation(io: Io, op: Operation): void {
  const target = op.recordId
    ? ` ${op.recordId}`
    : op.externalId
      ? ` by ${op.externalId.field} = ${op.externalId.value}`
      : '';
  io.out(`  ${op.mapping}: ${op.operation} ${op.object}${target}${op.bulk ? ' (bulk)' : ''}`);
  if (op.match) io.out(`    match (${op.match.operator}): ${JSON.stringify(op.match.fields)}`);
  table(io, 'fields', op.fields);
  if (op.createFields) table(io, 'createFields (only when created)', op.createFields);
  if (op.follow) io.out(`    follow: when ${op.follow.when}, to ${op.follow.object} ${op.follow.idField}`);
  for (const s of op.skipped ?? []) io.out(`    skipped ${s.key}: ${s.reason}`);
  io.out('    http:');
  (op.http ?? []).forEach((s, i) => io.out(`      ${i + 1}. ${httpLine(s)}`));
}

function table(io: Io, title: string, fields: Operation['fields']): void {
  const entries = Object.entries(fields);
  if (entries.length === 0) return io.out(`    ${title}: (none)`);
  io.out(`    ${title}:`);
  for (const [k, v] of entries) io.out(`      ${k}: ${JSON.stringify(v)}`);
}

function httpLine(s: HttpStep): string {
  const when = s.when ? ` (when ${s.when})` : '';
  const query = s.query
    ? ' ' +
      Object.entries(s.query)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')
    : '';
  const body = s.body ? ` ${JSON.stringify(s.body)}` : '';
  return `${s.method} ${s.path}${when}${query}${body}`;
}
