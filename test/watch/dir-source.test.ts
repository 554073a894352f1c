import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { DirSource } from '../../src/watch/dir-source.js';
import type { StatusReport } from '../../src/watch/status-report.js';
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

/** Local mode keeps no reports in git: those written during the run are kept in memory, for the web view's history. */
describe('DirSource: status reports of this run', () => {
  const report = (app: string, n: number, environment?: string): StatusReport => ({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Status',
    app,
    ...(environment ? { environment } : {}),
    namespace: app,
    commit: `local-${n}`,
    trigger: 'commit',
    outcome: 'applied',
    startedAt: '2026-12-04T10:00:00.000Z',
    finishedAt: '2026-12-04T10:00:01.000Z',
    bundleDigest: `sha256:${n}`,
    phases: [],
    pruned: [],
    lastFailure: null,
  });
  const digests = (reports: readonly StatusReport[]): string[] => reports.map((r) => r.bundleDigest);

  it('reads back the last report and the last 50 of each key, newest first; none for an app without any', async () => {
    const source = new DirSource(tempDir('kubemin-dir-source-'));
    expect(await source.readStatus('shop')).toBeUndefined();
    expect(await source.statusHistory('shop', 10)).toEqual([]);
    for (let n = 1; n <= 52; n++) await source.writeStatus(report('shop', n));
    await source.writeStatus(report('shop', 100, 'production'));
    await source.writeStatus(report('cart', 200));

    expect((await source.readStatus('shop'))?.bundleDigest).toBe('sha256:52');
    expect(digests(await source.statusHistory('shop', 3))).toEqual(['sha256:52', 'sha256:51', 'sha256:50']);
    const all = await source.statusHistory('shop', 1000);
    expect(all).toHaveLength(50);
    expect(all.at(-1)?.bundleDigest).toBe('sha256:3');
    expect(digests(await source.statusHistory('production/shop', 10))).toEqual(['sha256:100']);
    expect(digests(await source.statusHistory('cart', 10))).toEqual(['sha256:200']);
    expect(await source.statusHistory('shop', 0)).toEqual([]);
    expect(await source.revisionInfo()).toBeUndefined();
  });
});
