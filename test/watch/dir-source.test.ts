import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { DirSource } from '../../src/watch/dir-source.js';
import { tempDir } from '../helpers/cli.js';

/** `kubemin watch --dir`: the files a spec names (k8s-objects) are part of a revision, and a save of one is a change. */
describe('DirSource and the files specs name', () => {
  it('a changed manifest is a new revision, read with it, and its save wakes the watcher', async () => {
    const dir = tempDir('kubemin-dir-source-');
    mkdirSync(join(dir, 'manifests'));
    writeFileSync(
      join(dir, 'kubemin.yaml'),
      'apiVersion: kubemin.dev/v1alpha1\nkind: Application\nmetadata: {name: raw, namespace: raw}\nspec:\n  components:\n    - {name: cm, type: k8s-objects, files: [manifests/cm.yaml]}\n',
    );
    const manifest = (v: string) =>
      writeFileSync(join(dir, 'manifests/cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {LEVEL: ${v}}\n`);
    manifest('info');
    const source = new DirSource(dir);
    const first = await source.poll();
    const data = async (revision: string) => {
      const r = compile(await source.files(revision), { files: await source.referencedFiles(revision) });
      expect(r.diagnostics).toEqual([]);
      return r.apps[0]!.phases[0]!.objects[0]!.object.data;
    };
    expect(await data(first)).toEqual({ LEVEL: 'info' });
    expect(await source.poll()).toBe(first);

    let woke = 0;
    const watcher = source.watch(() => void woke++, 50);
    await watcher.ready;
    try {
      manifest('debug');
      await expect.poll(() => woke, { timeout: 10_000 }).toBeGreaterThan(0);
      const second = await source.poll();
      expect(second).not.toBe(first);
      expect(await data(second)).toEqual({ LEVEL: 'debug' });
    } finally {
      await watcher.close();
    }
  });
});
