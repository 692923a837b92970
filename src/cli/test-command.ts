// `sfmap test [fixtures-dir]`: the golden fixtures (<name>.input.json beside <name>.expected.json)
// through the mappings, as our own suite runs them; what users run in CI for their mapping repos.
import { jsonDiff, loadCases, runCase, writeExpected, type GoldenCase } from '../fixtures/golden.js';
import { displayPath, MappingStore } from '../mapping/mapping-store.js';
import { formatProblem } from '../mapping/problem.js';
import type { Io } from './io.js';

export interface TestOptions {
  fixtures: string;
  mappings: string;
  update?: boolean;
}

export async function testCommand(options: TestOptions, io: Io): Promise<number> {
  let cases: GoldenCase[];
  try {
    cases = loadCases(options.fixtures);
  } catch (err) {
    io.err(`cannot read fixtures: ${(err as Error).message}`);
    return 2;
  }
  const store = new MappingStore(options.mappings);
  const report = store.load();
  // A broken file is simply absent from the set, so its cases would fail for a confusing reason.
  for (const p of report.problems) io.err(formatProblem(p));
  if (report.problems.length > 0) io.err(`${report.problems.length} mapping problem(s): those files are not loaded`);

  let passed = 0;
  let failed = 0;
  let updated = 0;
  for (const c of cases) {
    const r = await runCase(c, store.current);
    const name = `${c.name}${c.description ? ` — ${c.description}` : ''}`;
    if (r.pass) {
      passed++;
      io.out(`ok    ${name}`);
      continue;
    }
    if (options.update) {
      writeExpected(r);
      updated++;
      passed++;
      io.out(`updated ${name}`);
      io.out(`  ${displayPath(c.expectedFile)} (- before, + now):`);
      io.out(indent(r.expected === undefined ? '  (new file)' : jsonDiff(r.expected, r.actual)));
      continue;
    }
    failed++;
    io.out(`FAIL  ${name}`);
    if (r.problem) io.out(`  ${r.problem}`);
    else {
      io.out(`  ${displayPath(c.expectedFile)} differs (- expected, + actual):`);
      io.out(indent(jsonDiff(r.expected, r.actual)));
    }
  }
  if (updated > 0)
    io.out(`updated ${updated} expected file${updated === 1 ? '' : 's'}; review them (git diff) before committing`);
  if (cases.length === 0) io.err(`no fixtures (*.input.json) under ${options.fixtures}`);
  io.out(`${passed} passed, ${failed} failed`);
  return failed > 0 || report.problems.length > 0 || cases.length === 0 ? 1 : 0;
}

const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
