// Every bench/sections/*.ts is a standalone script another helper can own: each runs in its own
// child process (so one section's servers, timers or crash cannot disturb the next), one after
// another, its output printed as it comes.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SECTIONS_DIR = fileURLToPath(new URL('./sections/', import.meta.url));

/** Section files in name order; `only` (names without .ts) narrows them. */
export function sectionFiles(only?: readonly string[]): string[] {
  return readdirSync(SECTIONS_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .filter((f) => !only || only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
    .sort()
    .map((f) => join(SECTIONS_DIR, f));
}

/** Runs one section with tsx; resolves with its exit code (a failing section does not stop the rest). */
export function runSection(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
    });
    child.on('error', () => resolve(1));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export async function runSections(only?: readonly string[]): Promise<{ file: string; code: number }[]> {
  const results: { file: string; code: number }[] = [];
  for (const file of sectionFiles(only)) {
    const name = file.slice(SECTIONS_DIR.length);
    console.log(`\n== section ${name} ==`);
    const started = performance.now();
    const code = await runSection(file);
    console.log(
      `-- ${name}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    results.push({ file, code });
  }
  return results;
}
