// The mapping folder as the server sees it: every rule file and object description loaded,
// problems reported as file:line:col, and the last good version of a file kept serving when a
// new version is broken. The served set is swapped in one assignment, so a request never sees half
// a reload.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadObjectCatalog } from '../salesforce/object-catalog.js';
import type { ObjectCatalog, ObjectMetadata } from '../salesforce/object-metadata.js';
import { loadRuleText } from './load-rule.js';
import { buildMappingSet, type MappingSet } from './mapping-set.js';
import type { Problem } from './problem.js';
import { notRegularReason, readRegularFile } from './regular-file.js';
import type { CompiledRule } from './rule.js';

export const DEFAULT_MAPPINGS_DIR = fileURLToPath(new URL('../../mappings/', import.meta.url));

const MAPPING_FILE = /\.(ya?ml|json)$/i;

/** Paths in messages are relative to where the person runs the command, when that is shorter. */
export function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}

export interface LoadReport {
  files: number;
  rules: number;
  problems: Problem[];
  /** Rules that load but probably do not do what was meant (`"Web" reads the event path Web`). */
  warnings: Problem[];
}

export class MappingStore {
  private good = new Map<string, CompiledRule>();
  private catalog: ObjectCatalog = new Map();
  private served: MappingSet;
  private lastProblems: Problem[] = [];
  private lastWarnings: Problem[] = [];
  /** Increments on every swap; caches keyed on it (inline mappings) know when to drop entries. */
  generation = 0;

  constructor(readonly dir: string = DEFAULT_MAPPINGS_DIR) {
    this.dir = resolve(dir);
    this.served = buildMappingSet([], this.catalog).set;
  }

  get current(): MappingSet {
    return this.served;
  }

  get problems(): readonly Problem[] {
    return this.lastProblems;
  }

  get warnings(): readonly Problem[] {
    return this.lastWarnings;
  }

  /** (Re)loads the whole folder; broken files keep their last good version. */
  load(): LoadReport {
    const problems: Problem[] = [];
    const warnings: Problem[] = [];
    const { ruleFiles, objectDirs, skipped } = scan(this.dir);
    problems.push(...skipped);
    const catalog = new Map<string, ObjectMetadata>();
    let catalogOk = true;
    for (const d of objectDirs) {
      try {
        const skip = (path: string, reason: string) =>
          problems.push({ file: displayPath(path), line: 1, col: 1, message: reason });
        for (const [k, v] of loadObjectCatalog(d, skip)) catalog.set(k, v);
      } catch (err) {
        catalogOk = false;
        problems.push(problemFromMessage((err as Error).message, d));
      }
    }
    // A broken object description would make every rule on that object look wrong: keep the last good catalog.
    if (catalogOk || this.catalog.size === 0) this.catalog = catalog;

    const next = new Map<string, CompiledRule>();
    for (const abs of ruleFiles) {
      const file = displayPath(abs);
      let text: string;
      try {
        text = readRegularFile(abs);
      } catch (err) {
        problems.push({ file, line: 1, col: 1, message: (err as Error).message });
        continue;
      }
      const loaded = loadRuleFile(file, text, this.catalog);
      if (loaded.rule) {
        next.set(abs, loaded.rule);
        warnings.push(...(loaded.warnings ?? []));
      } else {
        problems.push(...loaded.problems);
        const prior = this.good.get(abs);
        if (prior) next.set(abs, prior); // the last good version keeps serving
      }
    }
    const ordered = [...next.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    const built = buildMappingSet(ordered, this.catalog);
    problems.push(...built.problems);
    this.good = next;
    this.served = built.set;
    this.lastProblems = problems;
    this.lastWarnings = warnings;
    this.generation++;
    return { files: ruleFiles.length, rules: built.set.rules.length + built.set.filters.length, problems, warnings };
  }
}

/**
 * Rule files anywhere below `dir`, except inside `objects/` folders, which hold object metadata.
 * Whatever is not a regular file (FIFOs, devices, dangling links, loops) is reported and skipped;
 * a folder reached twice through links is walked once.
 */
function scan(dir: string): { ruleFiles: string[]; objectDirs: string[]; skipped: Problem[] } {
  const ruleFiles: string[] = [];
  const objectDirs: string[] = [];
  const skipped: Problem[] = [];
  const seen = new Set<string>();
  const walk = (d: string, top: boolean) => {
    let real: string;
    let names: string[];
    try {
      real = realpathSync(d);
      if (seen.has(real)) return;
      seen.add(real);
      names = readdirSync(d).sort();
    } catch (err) {
      if (top) throw err; // the folder itself: the caller says so (startup, validate, reload)
      skipped.push({ file: displayPath(d), line: 1, col: 1, message: `cannot read folder: ${(err as Error).message}` });
      return;
    }
    for (const name of names) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(d, name);
      const odd = notRegularReason(p);
      let isDir = false;
      if (!odd) {
        try {
          isDir = statSync(p).isDirectory();
        } catch {
          isDir = false;
        }
      }
      if (isDir) {
        if (name === 'objects') objectDirs.push(p);
        else walk(p, false);
      } else if (MAPPING_FILE.test(name)) {
        if (odd) skipped.push({ file: displayPath(p), line: 1, col: 1, message: odd });
        else ruleFiles.push(p);
      }
    }
  };
  walk(dir, true);
  return { ruleFiles, objectDirs, skipped };
}

/** One file's rule or problems; a defect in loading one file never stops the others. */
function loadRuleFile(file: string, text: string, catalog: ObjectCatalog) {
  try {
    return loadRuleText(file, text, catalog);
  } catch (err) {
    return {
      file,
      rule: undefined,
      problems: [{ file, line: 1, col: 1, message: `cannot load: ${(err as Error).message}` }],
    };
  }
}

/** "path:3:5: message" or "path: message" from the catalog loader, as a Problem. */
function problemFromMessage(message: string, fallbackFile: string): Problem {
  const m = /^(.*?):(\d+):(\d+): (.*)$/s.exec(message);
  if (m) return { file: displayPath(m[1]), line: Number(m[2]), col: Number(m[3]), message: m[4] };
  const n = /^(.*?\.(?:ya?ml|json)): (.*)$/s.exec(message);
  if (n) return { file: displayPath(n[1]), line: 1, col: 1, message: n[2] };
  return { file: displayPath(fallbackFile), line: 1, col: 1, message };
}
