import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleDirError } from '../../src/bundle/bundle-errors.js';
import { isBundleDir, readBundleDir } from '../../src/files/bundle-dir/read-bundle-dir.js';
import { tempDir } from '../helpers/cli.js';

const plan = (objects: unknown[]): string =>
  JSON.stringify({ kind: 'Plan', app: 'a', namespace: 'a', source: 'kubemin.yaml:1', digest: 'sha256:0', phases: [{ index: 1, name: 'one', objects }] });

describe('reading a bundle directory', () => {
  it('a plan naming a file outside its app is refused, and that file is never read', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'secret.yaml'), 'password: hunter2\n');
    const dir = join(root, 'out');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.plan.json'), plan([{ file: 'a/../../secret.yaml', kind: 'Secret', name: 'x', source: 'kubemin.yaml:1' }]));
    const err = await readBundleDir(dir).catch((e: Error) => e);
    expect(err).toBeInstanceOf(BundleDirError);
    expect((err as Error).message).toBe(
      `${dir}/a.plan.json: not a kubemin plan (each object a file under a/); move it out of ${dir} if kubemin did not write it`,
    );
  });

  it('a plan of another shape is a clear error, not a crash', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.plan.json'), JSON.stringify({ kind: 'Plan', app: 'a', phases: [] }));
    await expect(readBundleDir(dir)).rejects.toThrow(/a\.plan\.json: not a kubemin plan \(app "a", its namespace and source\)/);
  });

  it('a directory a killed render left with only its record and staging is still a bundle directory', async () => {
    const dir = tempDir();
    expect(await isBundleDir(dir)).toBe(false);
    mkdirSync(join(dir, '.kubemin-staging'));
    expect(await isBundleDir(dir)).toBe(true);
    expect(await readBundleDir(dir)).toEqual([]);
    // Staging without a journal: the render had not committed, so it is undone.
    expect(existsSync(join(dir, '.kubemin-staging'))).toBe(false);
  });
});
