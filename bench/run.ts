// `npm run bench`: the server benchmark (bench/server-bench.ts), then every bench/sections/*.ts, each
// in its own child process, in name order.
//   npm run bench                 everything
//   npm run bench -- core         only the server benchmark
//   npm run bench -- sections     only the sections
//   npm run bench -- rule-count   only the named section(s)
import { runSections } from './sections-runner.js';

const args = process.argv.slice(2);
const core = args.length === 0 || args.includes('core');
const sectionNames = args.filter((a) => a !== 'core' && a !== 'sections');
const sections = args.length === 0 || args.includes('sections') || sectionNames.length > 0;

if (core) await import('./server-bench.js');
if (sections) {
  const results = await runSections(sectionNames);
  const failed = results.filter((r) => r.code !== 0);
  if (failed.length > 0) process.exitCode = 1;
}
