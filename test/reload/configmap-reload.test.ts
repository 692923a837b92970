// Mappings mounted from a Kubernetes ConfigMap: kubelet writes the new version into a hidden
// timestamped folder and swaps the `..data` symlink to it; the visible files are links through
// `..data` and never change themselves. Hot reload must see the swap.
import { expect } from 'chai';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { watchMappings } from '../../src/mapping/watch.js';
import { createLogger } from '../../src/server/logger.js';

/** Writes `files` the way kubelet's atomic writer does, into `dir` (a ConfigMap volume). */
function kubeletWrite(dir: string, version: string, files: Record<string, string>): void {
  const data = join(dir, `..${version}`);
  mkdirSync(data);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(data, name), text);
  symlinkSync(`..${version}`, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  for (const name of Object.keys(files)) {
    try {
      symlinkSync(join('..data', name), join(dir, name));
    } catch {
      // already linked through ..data
    }
  }
}

describe('hot reload of mappings mounted from a ConfigMap', () => {
  let root: string;
  after(() => rmSync(root, { recursive: true, force: true }));

  it('a ConfigMap update (..data swap) is reloaded; the hidden folders are never read as rules', async () => {
    root = mkdtempSync(join(tmpdir(), 'configmap-'));
    const shipped = new URL('../../mappings/salesforce/', import.meta.url).pathname;
    const rules = join(root, 'rules');
    const objects = join(root, 'objects');
    mkdirSync(rules);
    mkdirSync(objects);
    // What `kubectl create configmap --from-file=mappings/salesforce/` and `.../objects/` hold: flat folders.
    const filesOf = (dir: string) =>
      Object.fromEntries(
        readdirSync(dir)
          .filter((f) => f.endsWith('.yaml'))
          .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
      );
    const ruleFiles = filesOf(shipped);
    kubeletWrite(rules, '2026_01_01_v1', ruleFiles);
    kubeletWrite(objects, '2026_01_01_v1', filesOf(join(shipped, 'objects')));

    const store = new MappingStore(root);
    const first = store.load();
    expect(first.problems).to.deep.equal([]);
    expect(first.files, 'each file once, not again through ..data').to.equal(Object.keys(ruleFiles).length);
    const generation = store.generation;
    const reloaded = new Promise<void>((resolve) => {
      const watcher = watchMappings(store, {
        logger: createLogger('silent'),
        debounceMs: 50,
        configMapPollMs: 100,
        onReload: () => void watcher.close().then(resolve),
      });
      void watcher.ready.then(() => {
        kubeletWrite(rules, '2026_01_01_v2', {
          ...ruleFiles,
          'lead.yaml': ruleFiles['lead.yaml'].replace(
            /^description: .*$/m,
            'description: from the ConfigMap, version 2',
          ),
        });
      });
    });
    await reloaded;
    expect(store.generation).to.be.greaterThan(generation);
    expect(store.current.rules.find((r) => r.rule.name === 'lead')?.rule.description).to.equal(
      'from the ConfigMap, version 2',
    );
    expect(store.problems).to.deep.equal([]);
  });
});
