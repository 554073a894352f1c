import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPluginConfig } from '../../src/plugins/load-plugins.js';
import { cli, tempDir } from '../helpers/cli.js';

/**
 * Where kubemin looks for a plugin config: up to the repository root (the nearest .git) or,
 * outside a repository, up to the path given on the command line. A kubemin.config.mjs planted
 * in a parent directory above that never runs; it would leave a marker file if it did.
 */

const PLANTED = `import { writeFileSync } from 'node:fs';
writeFileSync(new URL('./MARKER', import.meta.url), 'the planted config ran');
export default { plugins: [] };
`;

const SPEC = `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: hello, namespace: hello}
spec:
  components:
    - {name: web, type: webservice, image: "ghcr.io/acme/web:1", ports: [{port: 80}]}
`;

/** A shared parent directory with a planted config, and `child` below it holding a spec. */
function planted(child: string, opts: { git: boolean }): { parent: string; child: string; marker: string } {
  const parent = tempDir('kubemin-parent-');
  writeFileSync(join(parent, 'kubemin.config.mjs'), PLANTED);
  const dir = join(parent, child);
  mkdirSync(dir, { recursive: true });
  if (opts.git) mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'kubemin.yaml'), SPEC);
  return { parent, child: dir, marker: join(parent, 'MARKER') };
}

describe('plugin config discovery', () => {
  it('stops at the repository root: a config planted above it never runs', async () => {
    const p = planted('repo', { git: true });
    expect(findPluginConfig(p.child)).toBeUndefined();
    for (const [cwd, args] of [
      [p.child, ['validate', '.']],
      [p.child, ['render', '.', '--out', join(p.child, 'out')]],
      [p.child, ['plugins', '.']],
      [p.child, ['schema', '.']],
      [p.parent, ['validate', 'repo']],
    ] as const) {
      const r = await cli([...args], cwd);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    expect(existsSync(p.marker)).toBe(false);
  });

  it('outside a repository, stops at the path given on the command line', async () => {
    const p = planted('team/specs', { git: false });
    expect(findPluginConfig(p.child, p.child)).toBeUndefined();
    for (const [cwd, args] of [
      [p.child, ['validate', '.']],
      [p.parent, ['validate', 'team/specs']],
      [p.parent, ['validate', 'team/specs/kubemin.yaml']],
      [join(p.parent, 'team'), ['validate', 'specs']],
      [p.child, ['plugins']],
      [p.parent, ['schema', 'team/specs']],
    ] as const) {
      const r = await cli([...args], cwd);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    expect(existsSync(p.marker)).toBe(false);

    // The directory given is searched itself: given the parent, its config is the one that applies (and runs).
    expect(findPluginConfig(p.child, p.parent)).toBe(join(p.parent, 'kubemin.config.mjs'));
    const r = await cli(['validate', '.'], p.parent);
    expect(r.code).toBe(0);
    expect(existsSync(p.marker)).toBe(true);
  });

  it("inside a repository, a subdirectory given on the command line still gets the repository root's config", () => {
    const p = planted('repo/apps/shop', { git: false });
    mkdirSync(join(p.parent, 'repo', '.git'));
    writeFileSync(join(p.parent, 'repo', 'kubemin.config.mjs'), 'export default { plugins: [] };\n');
    expect(findPluginConfig(p.child, join(p.parent, 'repo', 'apps'))).toBe(join(p.parent, 'repo', 'kubemin.config.mjs'));
  });
});
