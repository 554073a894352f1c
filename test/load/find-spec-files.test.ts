import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSpecFiles } from '../../src/load/find-spec-files.js';
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
});
