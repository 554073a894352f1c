import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleEntry } from '../bundle/bundled-entry.js';
import { tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';

/**
 * Every command's failure modes, as a user meets them: the CLI as its own process (bundled from
 * the current sources, started as bin/kubemin.js starts it). Each mistake is one line naming the
 * thing and the fix, with exit 2 (usage or environment) or 1 (invalid input), and no stack frame.
 */

let kubemin: string;
beforeAll(async () => {
  kubemin = await bundleEntry('test/helpers/kubemin-process.ts');
  // Readable by an unprivileged user too (the EACCES cases run as nobody when the tests run as root).
  chmodSync(join(kubemin, '..'), 0o755);
}, 60_000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: readonly string[], opts: { cwd?: string; prefix?: readonly string[]; input?: string } = {}): Run {
  const [cmd, ...rest] = [...(opts.prefix ?? []), process.execPath, kubemin, ...args];
  const r = spawnSync(cmd!, rest, {
    cwd: opts.cwd ?? REPO,
    encoding: 'utf8',
    input: opts.input ?? '',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A stack frame of V8 (`    at fn (file:1:2)`) or Node's `node:internal` trace. */
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$|node:internal|^\s*throw /m;

function expectOneLineError(r: Run, code: 1 | 2, pattern: RegExp): void {
  expect(r.stderr + r.stdout).not.toMatch(STACK);
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toMatch(pattern);
}

/** Runs as an unprivileged user when the tests run as root (root ignores permissions). */
const unprivileged = (): string[] => (process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : []);

/** In a user and mount namespace of its own, to mount a tiny or read-only file system. */
function inNamespace(script: string, dir: string): Run {
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', dir, process.execPath, kubemin, REPO], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function specDir(): string {
  const dir = tempDir();
  cpSync(join(REPO, 'examples/shop'), join(dir, 'shop'), { recursive: true });
  return dir;
}

describe('paths that are not spec files or directories', () => {
  it('a FIFO and a device: refused at once, never read', () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe.kubemin.yaml');
    execFileSync('mkfifo', [fifo]);
    for (const path of [fifo, '/dev/zero']) {
      for (const cmd of ['validate', 'render', 'plan']) {
        expectOneLineError(run([cmd, path]), 2, new RegExp(`^kubemin: ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not a regular file or a directory`));
      }
    }
  });

  it('a missing path, and an empty spec file', () => {
    expectOneLineError(run(['validate', '/nonexistent/specs']), 2, /^kubemin: \/nonexistent\/specs: no such file or directory/);
    const dir = tempDir();
    writeFileSync(join(dir, 'kubemin.yaml'), '# nothing yet\n');
    expectOneLineError(run(['validate', dir]), 1, /kubemin\.yaml:1:1 error empty-file the file holds no application/);
  });

  it('a spec file nobody may read (EACCES)', () => {
    const dir = specDir();
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'shop'), 0o755);
    chmodSync(join(dir, 'shop', 'kubemin.yaml'), 0o000);
    expectOneLineError(
      run(['validate', dir], { prefix: unprivileged() }),
      2,
      /^kubemin: cannot open .*shop\/kubemin\.yaml: permission denied \(check its permissions/,
    );
  });
});

describe('render --out', () => {
  it('a file, a read-only directory, a full disk: one line naming the path, exit 2, nothing half-written', () => {
    const dir = specDir();
    writeFileSync(join(dir, 'afile'), 'x');
    expectOneLineError(run(['render', dir, '--out', join(dir, 'afile')]), 2, /afile.* is a file/);

    const readOnly = inNamespace(
      'mkdir -p "$1/ro" && mount --bind "$1/ro" "$1/ro" && mount -o remount,bind,ro "$1/ro" && "$2" "$3" render "$4/examples/shop" --out "$1/ro/out"',
      tempDir(),
    );
    expectOneLineError(readOnly, 2, /^kubemin: cannot .* .*\/ro\/out.*: the file system is read-only \(write somewhere else\)$/m);

    const full = inNamespace(
      'mkdir -p "$1/full" && mount -t tmpfs -o size=16k tmpfs "$1/full" && "$2" "$3" render "$4/examples/shop" --out "$1/full/out"; code=$?; ls -A "$1/full"; exit $code',
      tempDir(),
    );
    expectOneLineError(full, 2, /^kubemin: cannot write .*\/full\/out.*: no space left on the device/m);
    // Nothing of the bundle is left behind: no app, no staging folder.
    expect(
      full.stdout
        .trim()
        .split('\n')
        .filter((l) => l && l !== 'out'),
    ).toEqual([]);
  });

  it('stdout closed early (`render | head -1`) ends quietly; stdout on a full device is an error', () => {
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${kubemin}" render examples/shop | head -c 10 >/dev/null; echo "exit=$?"`], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(piped.stderr).toBe('');
    const full = spawnSync('sh', ['-c', `"${process.execPath}" "${kubemin}" render examples/shop >/dev/full`], { cwd: REPO, encoding: 'utf8' });
    expectOneLineError({ code: full.status, stdout: '', stderr: full.stderr }, 2, /^kubemin: cannot write standard output: no space left on the device/);
  });
});

describe('names and arguments', () => {
  it('plan --app and render --app name the missing app', () => {
    expectOneLineError(run(['plan', 'examples/shop', '--app', 'nosuch']), 2, /^no application named "nosuch"$/m);
    expectOneLineError(run(['render', 'examples/shop', '--app', 'nosuch']), 2, /no application named "nosuch"/);
  });

  it('schema of a directory that does not exist fails', () => {
    const r = run(['schema', '/nonexistent']);
    expectOneLineError(r, 2, /^kubemin schema: \/nonexistent: no such directory/);
    expect(r.stdout).toBe('');
  });

  it('no specs under a path: exit 1 for validate, render and plan; 2 for diff and apply (as kubectl diff)', () => {
    const empty = tempDir();
    for (const cmd of ['validate', 'render', 'plan']) expectOneLineError(run([cmd, empty]), 1, /no kubemin\.yaml or \*\.kubemin\.yaml found under/);
    for (const cmd of ['diff', 'apply'])
      expectOneLineError(run([cmd, empty, '--kubeconfig', '/nonexistent']), 2, /no kubemin\.yaml or \*\.kubemin\.yaml found under .*: nothing was/);
  });

  it('a missing kubeconfig', () => {
    const r = run(['diff', 'examples/shop', '--kubeconfig', '/nonexistent/kubeconfig']);
    expectOneLineError(r, 2, /^kubemin: .*\/nonexistent\/kubeconfig/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('watch: a repository that is not one, a webhook secret file that is missing or has no --listen', () => {
    const dir = tempDir();
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t0ken-value}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    );
    const k = ['--kubeconfig', kubeconfig, '--no-leader-election', '--work-dir', join(dir, 'work')];
    expectOneLineError(
      run(['watch', '--repo', join(dir, 'nope.git'), ...k]),
      2,
      /^kubemin: listing branches of .*nope\.git: '.*nope\.git' does not appear to be a git repository; Could not read from remote repository\.\n$/,
    );
    expectOneLineError(
      run(['watch', '--repo', join(dir, 'nope.git'), '--listen', '127.0.0.1:0', '--webhook-secret-file', join(dir, 'secret'), ...k]),
      2,
      /^kubemin watch: --webhook-secret-file cannot open .*secret: no such file or directory \(check the path\)\n$/,
    );
    expectOneLineError(
      run(['watch', '--repo', join(dir, 'nope.git'), '--webhook-secret-file', kubeconfig, ...k]),
      2,
      /^kubemin watch: --webhook-secret-file needs --listen/,
    );
  });

  it('an unknown option or command is a usage error', () => {
    expectOneLineError(run(['render', '--nope']), 2, /unknown option '--nope'/);
    expectOneLineError(run(['rendr']), 2, /unknown command 'rendr'/);
  });
});
