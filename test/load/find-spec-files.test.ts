import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSpecFiles } from '../../src/files/find-spec-files.js';
import { cli, tempDir } from '../helpers/cli.js';

const spec = (name: string): string =>
  `apiVersion: kubemin.dev/v1alpha1\nkind: Application\nmetadata: {name: ${name}}\nspec:\n  components: [{name: web, type: worker, image: nginx}]\n`;

describe('the spec search', () => {
  it('never reads a rendered bundle as specs, whatever its files are named', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'kubemin.yaml'), spec('shop'));
    // An object named `x.kubemin` is rendered as `NN-kind-x.kubemin.yaml`.
    const out = join(root, 'rendered');
    expect((await cli(['render', '.', '--out', 'rendered'], root)).code).toBe(0);
    mkdirSync(join(out, 'shop', '01-app'), { recursive: true });
    writeFileSync(join(out, 'shop', '01-app', '01-configmap-x.kubemin.yaml'), 'apiVersion: v1\nkind: ConfigMap\n');
    const found = await findSpecFiles(['.'], root);
    expect(found.files.map((f) => f.path)).toEqual(['kubemin.yaml']);
    // A directory without the record is searched as before.
    mkdirSync(join(root, 'more'));
    writeFileSync(join(root, 'more', 'x.kubemin.yaml'), spec('more'));
    expect((await findSpecFiles(['.'], root)).files.map((f) => f.path)).toEqual(['kubemin.yaml', 'more/x.kubemin.yaml']);
  });

  it('reads sibling directories at once, and still follows links in the order of a search by name', async () => {
    // Two links to one directory that is not searched itself (under node_modules): the one met
    // first, depth first in name order, is followed, however the concurrent reads finish. Deep
    // subtrees before the first link and none before the second give the later link's read a head start.
    const root = tempDir();
    mkdirSync(join(root, 'node_modules', 'shared'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'shared', 'kubemin.yaml'), spec('shared'));
    for (let i = 0; i < 40; i++) {
      const deep = join(root, 'a', `d${String(i).padStart(2, '0')}`, 'x', 'y', 'z');
      mkdirSync(deep, { recursive: true });
      writeFileSync(join(deep, 'kubemin.yaml'), spec(`app-${i}`));
    }
    symlinkSync(join(root, 'node_modules', 'shared'), join(root, 'a', 'zz-link'));
    mkdirSync(join(root, 'b'));
    symlinkSync(join(root, 'node_modules', 'shared'), join(root, 'b', 'link'));
    for (let run = 0; run < 5; run++) {
      const found = await findSpecFiles(['.'], root);
      expect(found.files).toHaveLength(41);
      expect(found.files.filter((f) => f.path.includes('link')).map((f) => f.path)).toEqual(['a/zz-link/kubemin.yaml']);
      expect(found.files.map((f) => f.path)).toEqual([...found.files.map((f) => f.path)].sort());
    }
  });
});
