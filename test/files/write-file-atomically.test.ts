import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileExistsError, writeFileAtomically } from '../../src/files/write-file-atomically.js';
import { tempDir } from '../helpers/cli.js';

describe('writeFileAtomically, the one way kubemin writes a file', () => {
  it('creates a file (and its directories) with the mode asked, leaving no temporary file', async () => {
    const dir = tempDir();
    const path = join(dir, 'a', 'b', 'kubemin.yaml');
    await writeFileAtomically(path, 'x: 1\n', { existing: 'keep', mode: 0o640 });
    expect(readFileSync(path, 'utf8')).toBe('x: 1\n');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['kubemin.yaml']);
  });

  it("with existing: 'keep', never replaces a file, and says so", async () => {
    const dir = tempDir();
    const path = join(dir, 'kubemin.yaml');
    writeFileSync(path, 'mine\n');
    await expect(writeFileAtomically(path, 'theirs\n', { existing: 'keep' })).rejects.toThrow(FileExistsError);
    expect(readFileSync(path, 'utf8')).toBe('mine\n');
    expect(readdirSync(dir)).toEqual(['kubemin.yaml']);
  });

  it("with existing: 'replace', replaces the file a link leads to, keeping the link and the file's mode", async () => {
    const dir = tempDir();
    const real = join(dir, 'real.yaml');
    writeFileSync(real, 'old\n');
    chmodSync(real, 0o600);
    const link = join(dir, 'kubemin.yaml');
    symlinkSync('real.yaml', link);
    await writeFileAtomically(link, 'new\n', { existing: 'replace' });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new\n');
    expect(statSync(real).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['kubemin.yaml', 'real.yaml']);
  });

  it('a write that fails once the text is written (the name is a directory) leaves no temporary file behind', async () => {
    const dir = tempDir();
    const path = join(dir, 'kubemin.yaml');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'kept\n');
    await expect(writeFileAtomically(path, 'new\n', { existing: 'replace' })).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['kubemin.yaml']);
    expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('kept\n');
  });
});
