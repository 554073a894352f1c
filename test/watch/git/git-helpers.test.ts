import { describe, expect, it } from 'vitest';
import { GitError, GitPushError, redact } from '../../../src/watch/git/git-error.js';
import { parseBatch, parseLsTree } from '../../../src/watch/git/read-objects.js';
import { parseRemoteUrl } from '../../../src/watch/git/remote-url.js';
import { checkBranchName, checkRepoPath, normaliseDir } from '../../../src/watch/git/repo-paths.js';
import { retry } from '../../../src/watch/git/retry.js';
import { SerialQueue } from '../../../src/watch/git/serial-queue.js';

describe('parseRemoteUrl', () => {
  it('takes the token out of an https URL', () => {
    expect(parseRemoteUrl('https://x-access-token:t%40k@github.com/o/r.git')).toEqual({
      url: 'https://github.com/o/r.git',
      transport: 'http',
      token: 't@k',
      secrets: ['x-access-token:t%40k', 't%40k', 't@k'],
    });
    expect(parseRemoteUrl('https://tok@host/r.git')).toMatchObject({ url: 'https://host/r.git', token: 'tok' });
    expect(parseRemoteUrl('https://host/r.git')).toEqual({ url: 'https://host/r.git', transport: 'http', secrets: [] });
  });

  it('tells ssh, local and other remotes apart', () => {
    expect(parseRemoteUrl('git@github.com:o/r.git').transport).toBe('ssh');
    expect(parseRemoteUrl('ssh://git@host:22/r.git')).toEqual({ url: 'ssh://git@host:22/r.git', transport: 'ssh', secrets: [] });
    expect(parseRemoteUrl('file:///srv/r.git').transport).toBe('local');
    expect(parseRemoteUrl('git://host/r.git').transport).toBe('other');
    expect(parseRemoteUrl('../r.git', '/srv/work')).toEqual({ url: '/srv/r.git', transport: 'local', secrets: [] });
  });
});

describe('redact', () => {
  it('hides every secret, longest first', () => {
    expect(redact('https://u:abc@h failed, abc again', ['abc', 'u:abc', ''])).toBe('https://***@h failed, *** again');
  });
});

describe('git output parsers', () => {
  it('parses ls-tree -z records, paths with spaces and tabs included', () => {
    const out = ['100644 blob aaa\tapps/a b/kubemin.yaml', '040000 tree bbb\tapps', '100644 blob ccc\tx\ty', ''].join('\x00');
    expect(parseLsTree(out)).toEqual([
      { mode: '100644', type: 'blob', oid: 'aaa', path: 'apps/a b/kubemin.yaml' },
      { mode: '040000', type: 'tree', oid: 'bbb', path: 'apps' },
      { mode: '100644', type: 'blob', oid: 'ccc', path: 'x\ty' },
    ]);
  });

  it('parses cat-file --batch output by byte size, missing objects included', () => {
    const content = Buffer.from('héllo\nwörld\n');
    const out = Buffer.concat([Buffer.from(`abc blob ${content.length}\n`), content, Buffer.from('\nabc:no such 1 missing\ndef blob 0\n\n')]);
    const [a, missing, empty] = parseBatch(out, 3);
    expect(a?.content.toString('utf8')).toBe('héllo\nwörld\n');
    expect(missing).toBeUndefined();
    expect(empty).toEqual({ type: 'blob', content: Buffer.alloc(0) });
    expect(() => parseBatch(out, 4)).toThrow(GitError);
  });
});

describe('repo paths', () => {
  it('accepts repo-relative paths and directories only', () => {
    expect(checkRepoPath('a/b.json')).toBe('a/b.json');
    for (const bad of ['', '/a', 'a/', 'a//b', './a', 'a/../b', 'a\nb', 'a\\b']) expect(() => checkRepoPath(bad)).toThrow(GitError);
    expect(['', '.', './', 'apps/a/', './apps/a'].map(normaliseDir)).toEqual(['', '', '', 'apps/a', 'apps/a']);
  });

  it('accepts branch names git accepts', () => {
    expect(checkBranchName('kubemin/status')).toBe('kubemin/status');
    for (const bad of ['', '-f', 'a..b', 'a b', 'a:b', 'a/', '.a', 'a.lock', 'a@{1}']) expect(() => checkBranchName(bad)).toThrow(GitError);
  });
});

describe('retry', () => {
  it('retries with doubling, jittered delays, then gives up with the attempts and the last error', async () => {
    const delays: number[] = [];
    const opts = { attempts: 4, backoffMs: 100, what: 'pushing', sleep: async (ms: number) => void delays.push(ms), random: () => 0.5 };
    const error = await retry(opts, async (n) => ({ ok: false, error: new GitError(`no ${n}`) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitPushError);
    expect(error).toMatchObject({ attempts: 4, message: 'pushing: failed 4 times; last: no 4' });
    expect(delays).toEqual([100, 200, 400]);
  });

  it('returns the value and the attempt it took; a thrown error is not retried', async () => {
    const opts = { attempts: 5, backoffMs: 0, what: 'x' };
    expect(await retry(opts, async (n) => (n < 3 ? { ok: false, error: new GitError('no') } : { ok: true, value: 'sha' }))).toEqual({
      value: 'sha',
      attempts: 3,
    });
    let calls = 0;
    await expect(
      retry(opts, async () => {
        calls++;
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });
});

describe('SerialQueue', () => {
  it('runs tasks one at a time, in order, past failures', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([queue.run(task('a')), queue.run(task('b', true)), queue.run(task('c'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});
