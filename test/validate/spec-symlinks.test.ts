/**
 * Symbolic links under a directory searched for specs, with real links in temporary
 * directories: followed when they stay inside it, a warning naming them when they lead outside
 * or nowhere; never silently skipped, never read twice, never a loop.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSpecFiles } from '../../src/files/find-spec-files.js';
import { cli, tempDir } from '../helpers/cli.js';

const spec = (name: string): string =>
  `apiVersion: kubemin.dev/v1alpha1\nkind: Application\nmetadata: {name: ${name}}\nspec:\n  components: [{name: web, type: worker, image: nginx}]\n`;

function tree(files: Record<string, string>, links: Record<string, string> = {}): string {
  const root = tempDir('kubemin-symlinks-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  for (const [path, target] of Object.entries(links)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    symlinkSync(target, join(root, path));
  }
  return root;
}

const paths = async (root: string, dir = 'repo'): Promise<{ files: string[]; warnings: string[] }> => {
  const found = await findSpecFiles([dir], root);
  return { files: found.files.map((f) => f.path), warnings: found.diagnostics.map((d) => `${d.file} ${d.code}`) };
};

describe('symbolic links in the tree searched', () => {
  it('a linked directory inside the tree is followed; a file reached twice is read once, under its own path', async () => {
    const root = tree(
      { 'repo/apps/v2/kubemin.yaml': spec('shop'), 'repo/apps/v2/extra.kubemin.yaml': spec('extra') },
      { 'repo/apps/current': 'v2', 'repo/alias.kubemin.yaml': 'apps/v2/kubemin.yaml' },
    );
    expect(await paths(root)).toEqual({ files: ['repo/apps/v2/extra.kubemin.yaml', 'repo/apps/v2/kubemin.yaml'], warnings: [] });
  });

  it('a spec reachable only through a link is read, under the link', async () => {
    // node_modules is skipped when searching, but a link to a package of specs is followed.
    const root = tree({ 'repo/node_modules/acme-specs/kubemin.yaml': spec('vendor') }, { 'repo/apps/vendor': '../node_modules/acme-specs' });
    expect(await paths(root)).toEqual({ files: ['repo/apps/vendor/kubemin.yaml'], warnings: [] });
  });

  it('a link to a parent is no loop', async () => {
    const root = tree({ 'repo/a/kubemin.yaml': spec('a') }, { 'repo/a/b/up': '../..', 'repo/a/self': '.' });
    expect(await paths(root)).toEqual({ files: ['repo/a/kubemin.yaml'], warnings: [] });
  });

  it('a link leading outside the tree is not followed: a warning names it', async () => {
    const root = tree(
      { 'repo/kubemin.yaml': spec('shop'), 'secret/config': 'token: s3cr3t\n', 'elsewhere/kubemin.yaml': spec('other'), 'README.md': 'x' },
      {
        'repo/creds.kubemin.yaml': '../secret/config',
        'repo/more': '../elsewhere',
        // Not a spec and not a directory: nothing to say about it.
        'repo/README.md': '../README.md',
      },
    );
    const found = await findSpecFiles(['repo'], root);
    expect(found.files.map((f) => f.path)).toEqual(['repo/kubemin.yaml']);
    expect(found.diagnostics.map((d) => [d.file, d.severity, d.code])).toEqual([
      ['repo/creds.kubemin.yaml', 'warning', 'symlink-outside'],
      ['repo/more', 'warning', 'symlink-outside'],
    ]);
    expect(found.diagnostics[1]!.message).toContain('leads outside repo');
    expect(JSON.stringify(found)).not.toContain('s3cr3t');
  });

  it('a broken link and a link to a FIFO are warnings, and nothing hangs', async () => {
    const root = tree({ 'repo/kubemin.yaml': spec('shop') }, { 'repo/gone.kubemin.yaml': 'nowhere.yaml', 'repo/pipe.kubemin.yaml': 'fifo' });
    execFileSync('mkfifo', [join(root, 'repo/fifo')]);
    expect(await paths(root)).toEqual({
      files: ['repo/kubemin.yaml'],
      warnings: ['repo/gone.kubemin.yaml symlink-broken', 'repo/pipe.kubemin.yaml symlink-not-a-file'],
    });
  });

  it('the directory named may itself be a link; a file named explicitly is read whatever it is', async () => {
    const root = tree({ 'real/kubemin.yaml': spec('shop'), 'outside.yaml': spec('named') }, { repo: 'real', 'named.yaml': 'outside.yaml' });
    expect(await paths(root)).toEqual({ files: ['repo/kubemin.yaml'], warnings: [] });
    expect((await findSpecFiles(['named.yaml'], root)).files.map((f) => f.path)).toEqual(['named.yaml']);
  });

  it('kubemin validate prints the warning naming the link, and still exits 0', async () => {
    const root = tree({ 'repo/kubemin.yaml': spec('shop'), 'elsewhere/kubemin.yaml': spec('other') }, { 'repo/more': '../elsewhere' });
    const r = await cli(['validate', 'repo'], root);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(
      /repo\/more:1:1 warning symlink-outside this symbolic link leads outside repo \(to .*elsewhere\), so it is not followed/,
    );
  });
});
