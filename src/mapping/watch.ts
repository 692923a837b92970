// Hot reload: the mappings folder is watched and reloaded as a whole after edits settle. The store
// does the safe part (a broken file keeps its last good version; the served set is swapped in one
// assignment); this file only decides when to call it and tells the operator what happened.
import { readdirSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type winston from 'winston';
import type { LoadReport, MappingStore } from './mapping-store.js';
import { formatProblem } from './problem.js';

const WATCHED = /\.(ya?ml|json)$/i;
/**
 * A Kubernetes ConfigMap volume updates by writing a new hidden folder and swapping this symlink to
 * it; the visible files are links through it and never change, so file watching sees nothing. Where
 * the link points is checked instead (kubelet itself takes up to a minute to propagate an update).
 */
const CONFIGMAP_SWAP = '..data';
const CONFIGMAP_POLL_MS = 2_000;

/** `..data` links in `dir` and the folders just below it (one per mounted ConfigMap). */
function configMapLinks(dir: string): string[] {
  const found: string[] = [];
  const look = (d: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      if (name === CONFIGMAP_SWAP) found.push(join(d, name));
      else if (depth > 0 && !name.startsWith('.')) look(join(d, name), depth - 1);
    }
  };
  look(dir, 2);
  return found;
}

function target(link: string): string | undefined {
  try {
    return realpathSync(link);
  } catch {
    return undefined;
  }
}

export interface WatchOptions {
  logger: winston.Logger;
  /** Quiet time after the last change before reloading: editors often write a file in several steps. */
  debounceMs?: number;
  /** Called after every reload (tests wait on it). */
  onReload?: (report: LoadReport) => void;
  /** How often ConfigMap mounts are checked for a new version (ms). */
  configMapPollMs?: number;
}

export interface MappingWatcher {
  /** Resolves once the initial scan is done and changes are being noticed. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function watchMappings(store: MappingStore, options: WatchOptions): MappingWatcher {
  const { logger, debounceMs = 100, onReload } = options;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const changed = new Set<string>();

  const reload = () => {
    timer = undefined;
    if (closed) return;
    const files = [...changed];
    changed.clear();
    const started = performance.now();
    let report: LoadReport;
    try {
      report = store.load();
    } catch (err) {
      // The folder itself vanished or became unreadable: keep serving what is loaded.
      logger.warn('mappings reload failed; the loaded mappings keep serving', {
        dir: store.dir,
        error: (err as Error).message,
      });
      return;
    }
    for (const p of report.problems) {
      logger.warn(`mapping problem: ${formatProblem(p)}`, {
        file: p.file,
        line: p.line,
        col: p.col,
        problem: p.message,
      });
    }
    for (const w of report.warnings) {
      logger.warn(`mapping warning: ${formatProblem(w)}`, {
        file: w.file,
        line: w.line,
        col: w.col,
        warning: w.message,
      });
    }
    logger.info('mappings reloaded', {
      dir: store.dir,
      changed: files,
      files: report.files,
      rules: report.rules,
      problems: report.problems.length,
      warnings: report.warnings.length,
      generation: store.generation,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
    onReload?.(report);
  };

  const schedule = (path: string) => {
    if (closed) return;
    changed.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  };

  const links = new Map(configMapLinks(store.dir).map((l) => [l, target(l)]));
  const configMapPoll =
    links.size === 0
      ? undefined
      : setInterval(() => {
          for (const [link, was] of links) {
            const now = target(link);
            if (now !== was) {
              links.set(link, now);
              schedule(link);
            }
          }
        }, options.configMapPollMs ?? CONFIGMAP_POLL_MS);
  configMapPoll?.unref();

  const watcher: FSWatcher = watch(store.dir, {
    ignoreInitial: true,
    // Editors that save by writing a temporary file and renaming it over the original (vim, JetBrains)
    // produce unlink + add; `atomic` folds that into one change instead of a deletion.
    atomic: true,
    ignored: (path, stats) => {
      const name = basename(path);
      if (name.startsWith('.') && path !== store.dir) return true;
      return stats?.isFile() === true && !WATCHED.test(name);
    },
  });
  watcher.on('all', (_event, path) => {
    if (WATCHED.test(path)) schedule(path);
  });
  watcher.on('error', (err) =>
    logger.warn('mappings watcher error', { dir: store.dir, error: (err as Error).message }),
  );
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (configMapPoll) clearInterval(configMapPoll);
      await watcher.close();
    },
  };
}
