import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffBundleDir, writeBundleDir } from '../../src/files/bundle-dir/bundle-dir.js';
import { BundleDirError, BundleOwnershipError, OutDirError } from '../../src/bundle/bundle-errors.js';
import { nodeBundleFs, type BundleFs } from '../../src/files/bundle-dir/bundle-fs.js';
import { emitApp, type AppBundle } from '../../src/bundle/emit-bundle.js';
import { tempDir } from '../helpers/cli.js';
import { compileDir, readTree, REPO } from '../helpers/tree.js';

const bundle = (app: string, files: Record<string, string>): AppBundle => ({
  app,
  files: Object.entries(files).map(([path, text]) => ({ path: `${app}/${path}`, text })),
  plan: { path: `${app}.plan.json`, text: `{"app":"${app}"}\n` },
  planDocument: {} as AppBundle['planDocument'],
});

const MANIFEST = '.kubemin-bundle.json';

/** The tree without kubemin's record, for comparing with what the bundles hold. */
const visible = (dir: string): Map<string, string> => readTree(dir, (p) => p !== MANIFEST);

function refusal(run: () => unknown): BundleOwnershipError {
  try {
    run();
  } catch (err) {
    if (err instanceof BundleOwnershipError) return err;
    throw err;
  }
  throw new Error('expected a BundleOwnershipError');
}

describe('bundle directory', () => {
  it('writes apps and its record of them, then reports no changes for the same bundle', () => {
    const dir = join(tempDir(), 'out');
    const b = [bundle('a', { '01-x/01-configmap-c.yaml': 'c\n' })];
    expect(writeBundleDir(dir, b).apps).toEqual(['a']);
    expect(visible(dir)).toEqual(
      new Map([
        ['a.plan.json', '{"app":"a"}\n'],
        ['a/01-x/01-configmap-c.yaml', 'c\n'],
      ]),
    );
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { kind: string; apps: Record<string, Record<string, string>> };
    expect(manifest.kind).toBe('BundleManifest');
    expect(Object.keys(manifest.apps.a!)).toEqual(['a.plan.json', 'a/01-x/01-configmap-c.yaml']);
    // sha256 of "c\n"
    expect(manifest.apps.a!['a/01-x/01-configmap-c.yaml']).toBe(`sha256:${createHash('sha256').update('c\n').digest('hex')}`);
    expect(diffBundleDir(dir, b).changes).toEqual([]);
    expect(existsSync(join(dir, '.kubemin-render.lock'))).toBe(false);
  });

  it('writes the same bytes whatever the order of the apps', () => {
    const apps = [bundle('b', { 'x.yaml': 'b\n' }), bundle('a', { 'y.yaml': 'a\n', 'x.yaml': 'a\n' })];
    const one = join(tempDir(), 'out');
    const two = join(tempDir(), 'out');
    writeBundleDir(one, apps);
    writeBundleDir(two, [...apps].reverse());
    expect(readTree(one)).toEqual(readTree(two));
  });

  it('leaves the directory as it was when writing fails', () => {
    const dir = join(tempDir(), 'out');
    writeBundleDir(dir, [bundle('a', { '01-x/01-a.yaml': 'old\n' })]);
    const before = readTree(dir);
    // A file and a directory of the same name cannot both be written: staging fails before any swap.
    const broken = bundle('a', { '01-x/01-a.yaml': 'new\n', '01-x/01-a.yaml/child.yaml': 'x\n' });
    expect(() => writeBundleDir(dir, [broken])).toThrow(/EEXIST|ENOTDIR/);
    expect(readTree(dir)).toEqual(before);
    expect(existsSync(join(dir, '.kubemin-staging'))).toBe(false);
  });

  it('a full disk is the file-system error, naming the path, and nothing changes', () => {
    const dir = join(tempDir(), 'out');
    writeBundleDir(dir, [bundle('a', { 'x.yaml': 'old\n' })]);
    const before = readTree(dir);
    let writes = 0;
    const full: BundleFs = {
      ...nodeBundleFs,
      write(path, text) {
        if (++writes === 3) throw Object.assign(new Error(`ENOSPC: no space left on device, open '${path}'`), { code: 'ENOSPC', path });
        nodeBundleFs.write(path, text);
      },
    };
    const err = (() => {
      try {
        writeBundleDir(dir, [bundle('a', { 'x.yaml': 'new\n', 'y.yaml': 'new\n' })], { fs: full });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toMatchObject({ code: 'ENOSPC', path: expect.stringMatching(/out\/\.kubemin-staging\/new\/a\/y\.yaml$/) });
    expect(readTree(dir)).toEqual(before);
    expect(existsSync(join(dir, '.kubemin-staging'))).toBe(false);
  });

  it('--out that is a file is an error', () => {
    const file = join(tempDir(), 'out');
    writeFileSync(file, 'mine\n');
    expect(() => writeBundleDir(file, [bundle('a', { 'x.yaml': 'a\n' })])).toThrow(OutDirError);
    expect(() => diffBundleDir(file, [bundle('a', { 'x.yaml': 'a\n' })])).toThrow(/is a file/);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it('a bundle directory that is a link to a directory is written through it', () => {
    const real = join(tempDir(), 'real');
    mkdirSync(real);
    const link = join(tempDir(), 'out');
    symlinkSync(real, link);
    writeBundleDir(link, [bundle('a', { 'x.yaml': 'a\n' })]);
    expect(visible(real).get('a/x.yaml')).toBe('a\n');
    expect(diffBundleDir(link, [bundle('a', { 'x.yaml': 'a\n' })]).changes).toEqual([]);
  });

  it('keeps other apps when rendering a single one, and never touches files it does not own', () => {
    const dir = join(tempDir(), 'out');
    writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a\n' }), bundle('b', { 'x.yaml': 'b\n' })]);
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes/readme.txt'), 'mine\n');
    writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a2\n' })], { keepOtherApps: true });
    expect(readTree(dir).get('b/x.yaml')).toBe('b\n');
    writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a2\n' })]);
    expect([...visible(dir).keys()]).toEqual(['a.plan.json', 'a/x.yaml', 'notes/readme.txt']);
  });
});

describe('what kubemin did not write is never replaced or deleted', () => {
  it('a directory named like an app, without a record of it', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web/index.html'), 'my site\n');
    const before = readTree(dir);
    const err = refusal(() => writeBundleDir(dir, [bundle('web', { 'x.yaml': 'w\n' })]));
    expect(err.entries).toEqual([{ app: 'web', path: 'web/', reason: 'not-listed' }]);
    expect(err.message).toContain(`${dir}/web/ is named like app "web", but kubemin has no record of writing it`);
    expect(err.message).toContain('Nothing was changed.');
    expect(readTree(dir)).toEqual(before);
  });

  it('a plan file of an app being rendered that kubemin did not write', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'web.plan.json'), '{"mine": true}\n');
    const err = refusal(() => writeBundleDir(dir, [bundle('web', { 'x.yaml': 'w\n' })]));
    expect(err.entries).toEqual([{ app: 'web', path: 'web.plan.json', reason: 'not-listed' }]);
    expect(readFileSync(join(dir, 'web.plan.json'), 'utf8')).toBe('{"mine": true}\n');
  });

  it("a foreign x.plan.json does not make its sibling directory kubemin's (with or without a record)", () => {
    for (const withRecord of [false, true]) {
      const dir = tempDir();
      if (withRecord) writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a\n' })]);
      mkdirSync(join(dir, 'x'));
      writeFileSync(join(dir, 'x/data.txt'), 'precious\n');
      writeFileSync(join(dir, 'x.plan.json'), '{"kind": "Plan", "app": "x", "digest": "sha256:0", "phases": []}\n');
      writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a2\n' })]);
      expect(readFileSync(join(dir, 'x/data.txt'), 'utf8')).toBe('precious\n');
      expect(existsSync(join(dir, 'x.plan.json'))).toBe(true);
    }
  });

  it('a file added to, or edited in, an app kubemin wrote (also an app being removed)', () => {
    const dir = tempDir();
    writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a\n' }), bundle('b', { 'x.yaml': 'b\n' })]);
    writeFileSync(join(dir, 'a/extra.yaml'), 'mine\n');
    writeFileSync(join(dir, 'b/x.yaml'), 'edited\n');
    const before = readTree(dir);
    const err = refusal(() => writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a2\n' })]));
    expect(err.entries).toEqual([
      { app: 'a', path: 'a/extra.yaml', reason: 'not-written' },
      { app: 'b', path: 'b/x.yaml', reason: 'changed' },
    ]);
    expect(err.message).toContain('/a/extra.yaml was not written by kubemin (in app "a")');
    expect(err.message).toContain('/b/x.yaml was changed since kubemin wrote it');
    expect(readTree(dir)).toEqual(before);
    // The check lists the same, and changes nothing either.
    expect(diffBundleDir(dir, [bundle('a', { 'x.yaml': 'a2\n' })]).foreign).toEqual(err.entries);
    // Once the user moved them away, it renders.
    rmSync(join(dir, 'a/extra.yaml'));
    rmSync(join(dir, 'b/x.yaml'));
    writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a2\n' })]);
    expect([...visible(dir).keys()]).toEqual(['a.plan.json', 'a/x.yaml']);
  });

  it('a link inside an app is not replaced, and is not followed', () => {
    const dir = tempDir();
    const outside = tempDir();
    writeFileSync(join(outside, 'keep.txt'), 'keep\n');
    writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a\n' })]);
    symlinkSync(outside, join(dir, 'a/link'));
    const err = refusal(() => writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a2\n' })]));
    expect(err.entries).toEqual([{ app: 'a', path: 'a/link', reason: 'not-a-file' }]);
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('keep\n');
  });

  it('a record naming paths outside its apps is refused, and nothing is deleted', () => {
    const dir = tempDir();
    writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a\n' })]);
    const record = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { apps: Record<string, Record<string, string>> };
    record.apps.a!['a/../../victim.txt'] = `sha256:${'0'.repeat(64)}`;
    writeFileSync(join(dir, MANIFEST), JSON.stringify(record));
    expect(() => writeBundleDir(dir, [])).toThrow(BundleDirError);
    expect(() => writeBundleDir(dir, [])).toThrow(/not a kubemin bundle manifest \("a\/\.\.\/\.\.\/victim\.txt" is not a file of app "a"\)/);
    expect(readTree(dir).get('a/x.yaml')).toBe('a\n');
  });
});

describe('a bundle written before kubemin kept a record', () => {
  async function oldRender(): Promise<{ dir: string; shop: AppBundle }> {
    const compiled = await compileDir(join(REPO, 'examples/shop'));
    const shop = emitApp(compiled.apps[0]!);
    const dir = tempDir();
    writeBundleDir(dir, [shop]);
    rmSync(join(dir, MANIFEST));
    return { dir, shop };
  }

  it('adopts an app whose plan digest matches its files: it is replaced, and removed when gone', async () => {
    const { dir, shop } = await oldRender();
    const changed = { ...shop, files: shop.files.map((f, i) => (i === 0 ? { ...f, text: `${f.text}# changed\n` } : f)) };
    writeBundleDir(dir, [changed]);
    expect(readTree(dir).get(shop.files[0]!.path)).toContain('# changed');
    const again = await oldRender();
    writeBundleDir(again.dir, [bundle('other', { 'x.yaml': 'o\n' })]);
    expect([...visible(again.dir).keys()]).toEqual(['other.plan.json', 'other/x.yaml']);
  });

  it('refuses an app whose files do not match its plan digest', async () => {
    const { dir, shop } = await oldRender();
    writeFileSync(join(dir, shop.files[1]!.path), 'edited by hand\n');
    const before = readTree(dir);
    const err = refusal(() => writeBundleDir(dir, [bundle('other', { 'x.yaml': 'o\n' }), shop]));
    expect(err.entries.map((e) => e.path)).toEqual(['shop.plan.json', 'shop/']);
    expect(readTree(dir)).toEqual(before);
    // Not being rendered, it is left alone (not adopted, so not removed).
    writeBundleDir(dir, [bundle('other', { 'x.yaml': 'o\n' })]);
    expect(readTree(dir).get(shop.files[1]!.path)).toBe('edited by hand\n');
  });
});
