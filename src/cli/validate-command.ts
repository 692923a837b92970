// `sfmap validate [dir]`: load every mapping file the way the server does and report each problem
// as file:line:col: message (the format editors and CI annotate). Fast enough to run on every save.
import { existsSync, statSync } from 'node:fs';
import { MappingStore } from '../mapping/mapping-store.js';
import { formatProblem } from '../mapping/problem.js';
import type { Io } from './io.js';

export interface ValidateOptions {
  dir: string;
  quiet?: boolean;
}

export function validateCommand(options: ValidateOptions, io: Io): number {
  if (!existsSync(options.dir) || !statSync(options.dir).isDirectory()) {
    io.err(`${options.dir}: not a folder of mapping files`);
    return 2;
  }
  const started = performance.now();
  const store = new MappingStore(options.dir);
  const report = store.load();
  const ms = performance.now() - started;
  for (const p of report.problems) io.out(formatProblem(p));
  // Warnings do not fail the run: the rule loads and serves as written.
  for (const w of report.warnings) io.out(`${w.file}:${w.line}:${w.col}: warning: ${w.message}`);
  const n = report.problems.length;
  const w = report.warnings.length;
  if (!options.quiet || n > 0 || w > 0) {
    const warned = w > 0 ? `, ${w} warning${w === 1 ? '' : 's'}` : '';
    const line = `${report.files} file${report.files === 1 ? '' : 's'}, ${report.rules} rule${report.rules === 1 ? '' : 's'}, ${n} problem${n === 1 ? '' : 's'}${warned} (${ms.toFixed(0)} ms)`;
    if (n > 0) io.err(line);
    else io.out(line);
  }
  return n > 0 ? 1 : 0;
}
