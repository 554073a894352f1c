import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffBundleDir, writeBundleDir } from '../../src/bundle/bundle-dir.js';
import type { AppBundle } from '../../src/bundle/emit-bundle.js';
import { tempDir } from '../helpers/cli.js';
import { readTree } from '../helpers/tree.js';

const bundle = (app: string, files: Record<string, string>): AppBundle => ({
  app,
  files: Object.entries(files).map(([path, text]) => ({ path: `${app}/${path}`, text })),
  plan: { path: `${app}.plan.json`, text: `{"app":"${app}"}\n` },
  planDocument: {} as AppBundle['planDocument'],
});

describe('bundle directory', () => {
  it('writes apps, then reports no changes for the same bundle', () => {
    const dir = join(tempDir(), 'out');
    const b = [bundle('a', { '01-x/01-configmap-c.yaml': 'c\n' })];
    expect(writeBundleDir(dir, b).apps).toEqual(['a']);
    expect(readTree(dir)).toEqual(new Map([['a.plan.json', '{"app":"a"}\n'], ['a/01-x/01-configmap-c.yaml', 'c\n']]));
    expect(diffBundleDir(dir, b).changes).toEqual([]);
  });

  it('leaves the directory as it was when writing fails', () => {
    const dir = join(tempDir(), 'out');
    writeBundleDir(dir, [bundle('a', { '01-x/01-a.yaml': 'old\n' })]);
    const before = readTree(dir);
    // A file and a directory of the same name cannot both be written: staging fails before any swap.
    const broken = bundle('a', { '01-x/01-a.yaml': 'new\n', '01-x/01-a.yaml/child.yaml': 'x\n' });
    expect(() => writeBundleDir(dir, [broken])).toThrow();
    expect(readTree(dir)).toEqual(before);
  });

  it('keeps other apps when rendering a single one, and never touches files it does not own', () => {
    const dir = join(tempDir(), 'out');
    writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a\n' }), bundle('b', { 'x.yaml': 'b\n' })]);
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes/readme.txt'), 'mine\n');
    writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a2\n' })], { keepOtherApps: true });
    expect(readTree(dir).get('b/x.yaml')).toBe('b\n');
    writeBundleDir(dir, [bundle('a', { 'x.yaml': 'a2\n' })]);
    expect([...readTree(dir).keys()]).toEqual(['a.plan.json', 'a/x.yaml', 'notes/readme.txt']);
  });
});
