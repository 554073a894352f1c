import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitError, GitPushError, GitRepo, type GitRepoOptions } from '../../../src/watch/git/repo.js';
import { git, RemoteFixture } from './remote-fixture.js';

const AUTHOR = { name: 'kubemin watch', email: 'watch@kubemin.invalid' };

let fx: RemoteFixture;
let first: string;
let second: string;

beforeEach(() => {
  fx = new RemoteFixture();
  first = fx.commit('first', {
    'apps/a/kubemin.yaml': 'a: 1\n',
    'apps/a/nested/web.kubemin.yaml': 'web: 1\n',
    'apps/a/other.yaml': 'not a spec\n',
    'apps/ab/kubemin.yaml': 'ab: 1\n',
    'apps/b/kubemin.yaml': 'b: 1\n',
    'apps/b/old.kubemin.yaml': 'old: 1\n',
    'README.md': '# repo\n',
  });
  second = fx.commit('second', { 'apps/a/kubemin.yaml': 'a: 2\n', 'apps/b/old.kubemin.yaml': null });
});

function open(overrides: Partial<GitRepoOptions> = {}): Promise<GitRepo> {
  return GitRepo.open({ url: fx.remote, branch: 'main', workDir: fx.workDir(), author: AUTHOR, backoffMs: 1, ...overrides });
}

describe('GitRepo: reading', () => {
  it('opens a bare clone and fetch returns the tip', async () => {
    const repo = await open();
    expect(await repo.fetch()).toBe(second);
    const tip = fx.commit('third', { 'apps/b/kubemin.yaml': 'b: 3\n' });
    expect(await repo.fetch()).toBe(tip);
    expect(git(fx.workDir(), 'rev-parse', '--is-bare-repository')).toBe('true');
  });

  it('reads spec files as they were at each commit, nested ones included, other yaml ignored', async () => {
    const repo = await open();
    expect(await repo.readSpecFiles(first, '')).toEqual([
      { path: 'apps/a/kubemin.yaml', text: 'a: 1\n' },
      { path: 'apps/a/nested/web.kubemin.yaml', text: 'web: 1\n' },
      { path: 'apps/ab/kubemin.yaml', text: 'ab: 1\n' },
      { path: 'apps/b/kubemin.yaml', text: 'b: 1\n' },
      { path: 'apps/b/old.kubemin.yaml', text: 'old: 1\n' },
    ]);
    expect(await repo.readSpecFiles(second, '.')).toEqual([
      { path: 'apps/a/kubemin.yaml', text: 'a: 2\n' },
      { path: 'apps/a/nested/web.kubemin.yaml', text: 'web: 1\n' },
      { path: 'apps/ab/kubemin.yaml', text: 'ab: 1\n' },
      { path: 'apps/b/kubemin.yaml', text: 'b: 1\n' },
    ]);
  });

  it('reads spec files under one directory only', async () => {
    const repo = await open();
    const expected = [
      { path: 'apps/a/kubemin.yaml', text: 'a: 2\n' },
      { path: 'apps/a/nested/web.kubemin.yaml', text: 'web: 1\n' },
    ];
    expect(await repo.readSpecFiles(second, 'apps/a')).toEqual(expected);
    expect(await repo.readSpecFiles(second, './apps/a/')).toEqual(expected);
    expect(await repo.readSpecFiles(second, 'apps/none')).toEqual([]);
    await expect(repo.readSpecFiles(second, '../x')).rejects.toThrow(GitError);
  });

  it('reads one file, undefined when absent or a directory', async () => {
    const repo = await open();
    expect(await repo.readFile(first, 'apps/b/old.kubemin.yaml')).toBe('old: 1\n');
    expect(await repo.readFile(second, 'apps/b/old.kubemin.yaml')).toBeUndefined();
    expect(await repo.readFile(second, 'apps/a')).toBeUndefined();
    await expect(repo.readFile('0123456789abcdef0123456789abcdef01234567', 'README.md')).rejects.toThrow(GitError);
    await expect(repo.readFile('--output=x', 'README.md')).rejects.toThrow(GitError);
  });

  it('reads files asked for at once (one git process for them all), each its own answer', async () => {
    const repo = await open();
    const paths = ['apps/a/kubemin.yaml', 'apps/b/old.kubemin.yaml', 'apps/a', 'README.md', 'no/such/file', 'apps/ab/kubemin.yaml'];
    const atFirst = await Promise.all(paths.map((p) => repo.readFile(first, p)));
    expect(atFirst).toEqual(['a: 1\n', 'old: 1\n', undefined, '# repo\n', undefined, 'ab: 1\n']);
    const mixed = await Promise.all([
      repo.readFile(second, 'apps/a/kubemin.yaml'),
      repo.readFile(first, 'apps/a/kubemin.yaml'),
      repo.readFile(second, 'apps/b/old.kubemin.yaml'),
    ]);
    expect(mixed).toEqual(['a: 2\n', 'a: 1\n', undefined]);
    // A commit that is not there fails its own read only.
    const results = await Promise.allSettled([repo.readFile('0123456789abcdef0123456789abcdef01234567', 'README.md'), repo.readFile(second, 'README.md')]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.any(GitError) });
    expect(results[1]).toEqual({ status: 'fulfilled', value: '# repo\n' });
  });

  it('lists changed paths and tells commit subjects and authors', async () => {
    const repo = await open();
    expect(await repo.changedPaths(first, second)).toEqual(['apps/a/kubemin.yaml', 'apps/b/old.kubemin.yaml']);
    expect(await repo.changedPaths(second, second)).toEqual([]);
    const info = await repo.commitInfo(second);
    expect(info).toMatchObject({ subject: 'second', authorName: 'Seeder', authorEmail: 'seeder@example.com' });
    expect(info.time).toBeInstanceOf(Date);
  });

  it('reuses an existing work dir of the same url, and refuses one of another', async () => {
    await open();
    const marker = join(fx.workDir(), 'kubemin-marker');
    writeFileSync(marker, 'kept\n');
    const again = await open();
    expect(await again.fetch()).toBe(second);
    expect(await again.readFile(first, 'apps/b/old.kubemin.yaml')).toBe('old: 1\n');
    expect(readFileSync(marker, 'utf8')).toBe('kept\n');
    await expect(open({ url: join(fx.root, 'elsewhere.git') })).rejects.toThrow(/is a clone of .*remote\.git, not of/);
    await expect(open({ branch: 'nope' })).rejects.toThrow(/branch nope not found/);
  });
});

describe('GitRepo: committing', () => {
  it('commits one file on the branch with the right author and message, and nothing else', async () => {
    const repo = await open();
    const { sha, attempts } = await repo.commitFiles(new Map([['status/a.json', '{"ok":true}\n']]), 'status: a is ready');
    expect(attempts).toBe(1);
    expect(fx.remoteGit('rev-parse', 'main')).toBe(sha);
    expect(fx.remoteGit('rev-parse', `${sha}^`)).toBe(second);
    expect(fx.remoteGit('log', '-1', '--format=%an <%ae>|%cn <%ce>|%s', sha)).toBe(
      'kubemin watch <watch@kubemin.invalid>|kubemin watch <watch@kubemin.invalid>|status: a is ready',
    );
    expect(fx.remoteGit('diff-tree', '--no-commit-id', '-r', '--name-status', sha)).toBe('A\tstatus/a.json');
    expect(fx.files(sha).get('status/a.json')).toBe('{"ok":true}\n');
    // The push moved the clone's tracking ref: the status tip is the commit, before any fetch.
    expect(await repo.statusTip()).toBe(sha);
    expect(git(fx.workDir(), 'rev-parse', 'refs/remotes/origin/main')).toBe(sha);
    expect(await repo.fetch()).toBe(sha);
    expect(await repo.commitInfo(sha)).toMatchObject({ subject: 'status: a is ready', authorName: AUTHOR.name, authorEmail: AUTHOR.email });
  });

  it('makes no commit when nothing would change', async () => {
    const repo = await open();
    const { sha } = await repo.commitFiles(new Map([['status/a.json', 'x\n']]), 'status');
    expect(await repo.commitFiles(new Map([['status/a.json', 'x\n']]), 'status again')).toEqual({ sha, attempts: 1 });
    expect(fx.remoteGit('rev-parse', 'main')).toBe(sha);
  });

  it('retries on top of a commit pushed by someone else between its fetch and its push', async () => {
    const repo = await open();
    const theirs = fx.commit('theirs', { 'apps/b/kubemin.yaml': 'b: 2\n' });
    const { sha, attempts } = await repo.commitFiles(new Map([['status/a.json', 'ours\n']]), 'status: ours');
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(fx.remoteGit('rev-parse', 'main')).toBe(sha);
    expect(fx.remoteGit('rev-parse', `${sha}^`)).toBe(theirs);
    const files = fx.files(sha);
    expect(files.get('apps/b/kubemin.yaml')).toBe('b: 2\n');
    expect(files.get('status/a.json')).toBe('ours\n');
    expect(fx.remoteGit('diff-tree', '--no-commit-id', '-r', '--name-only', sha)).toBe('status/a.json');
  });

  it('lands concurrent commits of two clones on the same branch', async () => {
    const [one, two] = await Promise.all([open({ workDir: fx.workDir('one') }), open({ workDir: fx.workDir('two') })]);
    const results = await Promise.all([
      one.commitFiles(new Map([['status/one.json', '1\n']]), 'status: one'),
      two.commitFiles(new Map([['status/two.json', '2\n']]), 'status: two'),
    ]);
    const subjects = fx.remoteGit('log', '--format=%s', `${second}..main`).split('\n').sort();
    expect(subjects).toEqual(['status: one', 'status: two']);
    const files = fx.files('main');
    expect(files.get('status/one.json')).toBe('1\n');
    expect(files.get('status/two.json')).toBe('2\n');
    // Both built on the same tip: whichever pushed second was refused once and rebuilt.
    expect(Math.max(...results.map((r) => r.attempts))).toBeGreaterThanOrEqual(2);
  });

  it('serialises concurrent commits of one clone', async () => {
    const repo = await open();
    const results = await Promise.all(['a', 'b', 'c'].map((app) => repo.commitFiles(new Map([[`status/${app}.json`, `${app}\n`]]), `status: ${app}`)));
    expect(results.map((r) => r.attempts)).toEqual([1, 1, 1]);
    expect(fx.remoteGit('log', '--format=%s', `${second}..main`)).toBe('status: c\nstatus: b\nstatus: a');
  });

  it('creates a missing status branch from the watched tip', async () => {
    const repo = await open({ statusBranch: 'kubemin/status' });
    const { sha } = await repo.commitFiles(new Map([['a.json', 'a\n']]), 'status: a');
    expect(fx.remoteGit('rev-parse', 'kubemin/status')).toBe(sha);
    expect(fx.remoteGit('rev-parse', `${sha}^`)).toBe(second);
    expect(fx.remoteGit('rev-parse', 'main')).toBe(second);
    expect(await repo.statusTip()).toBe(sha);
    const next = await repo.commitFiles(new Map([['b.json', 'b\n']]), 'status: b');
    expect(fx.remoteGit('rev-parse', `${next.sha}^`)).toBe(sha);
    // The watched branch moves on; status commits stay on their branch.
    const tip = fx.commit('third', { 'apps/b/kubemin.yaml': 'b: 3\n' });
    expect(await repo.fetch()).toBe(tip);
    expect(await repo.statusTip()).toBe(next.sha);
  });

  it('gives up with GitPushError after pushAttempts when every push is refused', async () => {
    const repo = await open({ pushAttempts: 3 });
    fx.makeReadOnly();
    const error = await repo.commitFiles(new Map([['status/a.json', 'a\n']]), 'status').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitPushError);
    expect((error as GitPushError).attempts).toBe(3);
    expect((error as GitPushError).message).toMatch(/failed 3 times.*read-only/s);
    expect(fx.remoteGit('rev-parse', 'main')).toBe(second);
  });

  it('refuses paths that are not repo-relative', async () => {
    const repo = await open();
    for (const path of ['/abs', 'a/../b', 'a//b', 'a/', '']) {
      await expect(repo.commitFiles(new Map([[path, 'x']]), 'bad')).rejects.toThrow(GitError);
    }
  });
});

describe('GitRepo: credentials', () => {
  const TOKEN = 'ghp_s3cretT0kenValue';
  const saved = process.env.KUBEMIN_TEST_GIT_TOKEN;
  afterEach(() => {
    if (saved === undefined) delete process.env.KUBEMIN_TEST_GIT_TOKEN;
    else process.env.KUBEMIN_TEST_GIT_TOKEN = saved;
  });

  function expectNoSecret(text: string): void {
    for (const s of [TOKEN, Buffer.from(`x-access-token:${TOKEN}`).toString('base64')]) expect(text).not.toContain(s);
  }

  it('keeps a token of the URL out of errors and out of the stored remote', async () => {
    const error = await open({ url: `https://x-access-token:${TOKEN}@127.0.0.1:9/x.git` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    const message = String((error as Error).message);
    expect(message).toContain('https://127.0.0.1:9/x.git');
    expectNoSecret(message);
    expectNoSecret(JSON.stringify(error));
    const config = readFileSync(join(fx.workDir(), 'config'), 'utf8');
    expect(config).toContain('url = https://127.0.0.1:9/x.git');
    expectNoSecret(config);
  });

  it('keeps a token of the environment out of errors', async () => {
    process.env.KUBEMIN_TEST_GIT_TOKEN = TOKEN;
    const error = await open({ url: 'https://127.0.0.1:9/x.git', auth: { tokenEnv: 'KUBEMIN_TEST_GIT_TOKEN' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expectNoSecret(String((error as Error).message));
  });

  it('sends the token as an Authorization header, not in the URL', async () => {
    const seen: Array<{ url: string; authorization: string | undefined }> = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const error = await open({ url: `https://x-access-token:${TOKEN}@127.0.0.1:9/x.git`.replace('https://', 'http://').replace(':9/', `:${port}/`) }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(GitError);
      expectNoSecret(String((error as Error).message));
      expect(seen.length).toBeGreaterThan(0);
      for (const request of seen) {
        expect(request.authorization).toBe(`Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`);
        expect(request.url).not.toContain(TOKEN);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('says which token variable is missing, without a value', async () => {
    delete process.env.KUBEMIN_TEST_GIT_TOKEN;
    await expect(open({ url: 'https://127.0.0.1:9/x.git', auth: { tokenEnv: 'KUBEMIN_TEST_GIT_TOKEN' } })).rejects.toThrow(/KUBEMIN_TEST_GIT_TOKEN is not set/);
  });
});
