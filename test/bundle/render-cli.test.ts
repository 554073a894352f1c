import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { appSpec } from '../../bench/generate.js';
import { tempDir } from '../helpers/cli.js';
import { readTree, REPO } from '../helpers/tree.js';
import { bundleEntry } from './bundled-entry.js';

/**
 * `kubemin render --out DIR` as a user runs it: the CLI in its own process (bundled from the
 * sources, as bin/kubemin.js runs them), exit codes, messages, and what DIR holds afterwards.
 */

const execFileP = promisify(execFile);
let kubemin: string;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(args: string[], cwd?: string): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [kubemin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** No stack frame, in any output. */
function expectNoStack(r: Run): void {
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

function repo(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const SHOP = readFileSync(join(REPO, 'examples/shop/kubemin.yaml'), 'utf8');

beforeAll(async () => {
  kubemin = await bundleEntry('test/helpers/kubemin-process.ts');
}, 60_000);

describe('render --out never writes where the specs are', () => {
  it('`render . --out .` in a repo with shop/kubemin.yaml is refused, and nothing changes', async () => {
    const dir = repo({ 'shop/kubemin.yaml': SHOP, 'README.md': 'mine\n' });
    const before = readTree(dir);
    for (const out of ['.', 'shop', dir]) {
      const r = await cli(['render', '.', '--out', out], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `kubemin: --out ${out} holds shop/kubemin.yaml, a spec being rendered: kubemin does not write the bundle where its sources are. Render into a directory without specs (e.g. --out rendered).\n`,
      );
      expectNoStack(r);
    }
    const explicit = await cli(['render', 'shop/kubemin.yaml', '--out', 'shop'], dir);
    expect(explicit.code).toBe(2);
    expect(readTree(dir)).toEqual(before);
  });

  it('an --out inside a searched directory is fine while it holds no spec, render after render', async () => {
    const dir = repo({ 'shop/kubemin.yaml': SHOP });
    for (const round of [1, 2]) {
      const r = await cli(['render', '.', '--out', 'rendered'], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe(`rendered 1 application(s) into rendered (${round === 1 ? '1 changed' : 'no changes'})\n`);
    }
    expect(readTree(join(dir, 'rendered')).has('shop/05-app/05-deployment-web.yaml')).toBe(true);
    expect((await cli(['render', 'shop', '--out', 'shop/rendered'], dir)).code).toBe(0);
  });

  it('an --out inside the .kubemin/ directory of the plugin configuration is refused', async () => {
    const dir = repo({ 'shop/kubemin.yaml': SHOP, '.kubemin/config.yaml': 'plugins: []\n' });
    const r = await cli(['render', '.', '--out', '.kubemin/rendered'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'kubemin: --out .kubemin/rendered is inside .kubemin, which holds the plugin configuration of the specs being rendered. Render into another directory.\n',
    );
    expect(existsSync(join(dir, '.kubemin/rendered'))).toBe(false);
  });

  it('--out that is a file is one line, exit 2', async () => {
    const dir = repo({ 'shop/kubemin.yaml': SHOP, 'out.txt': 'mine\n' });
    const r = await cli(['render', 'shop', '--out', 'out.txt'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'kubemin: out.txt is a file: the bundle goes into a directory (it is created when missing); remove the file or choose another path\n',
    );
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('mine\n');
  });
});

describe('render changes nothing unless it renders', () => {
  it('no specs found: exit 1 as validate says it, and DIR is untouched (or not created)', async () => {
    const dir = repo({ 'empty/README.md': 'no specs\n', 'out/keep.txt': 'mine\n' });
    const validate = await cli(['validate', 'empty'], dir);
    for (const out of ['out', 'new-out']) {
      const r = await cli(['render', 'empty', '--out', out], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('no kubemin.yaml or *.kubemin.yaml found under empty\n');
      expect(validate.stderr).toContain(r.stderr);
    }
    expect(readTree(join(dir, 'out'))).toEqual(new Map([['keep.txt', 'mine\n']]));
    expect(existsSync(join(dir, 'new-out'))).toBe(false);
  });

  it('--app naming no application: exit 2 naming it, DIR untouched', async () => {
    const dir = repo({ 'shop/kubemin.yaml': SHOP });
    expect((await cli(['render', '.', '--out', 'out'], dir)).code).toBe(0);
    const before = readTree(join(dir, 'out'));
    const r = await cli(['render', '.', '--out', 'out', '--app', 'nosuch'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('no application named "nosuch": nothing was rendered\n');
    expect(readTree(join(dir, 'out'))).toEqual(before);
    expect((await cli(['render', '.', '--out', 'fresh', '--app', 'nosuch'], dir)).code).toBe(2);
    expect(existsSync(join(dir, 'fresh'))).toBe(false);
  });
});

describe('render never replaces or deletes what kubemin did not write', () => {
  it('a directory named like an app: an error naming it, and nothing changes', async () => {
    const dir = repo({ 'shop/kubemin.yaml': SHOP, 'out/shop/index.html': 'my page\n', 'out/README.md': 'mine\n' });
    const r = await cli(['render', 'shop', '--out', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      [
        'kubemin: cannot render into out: it holds files kubemin did not write where the bundle goes, and kubemin does not replace or delete them:',
        '  out/shop/ is named like app "shop", but kubemin has no record of writing it',
        'Move them away (or delete them yourself), or render into another directory. Nothing was changed.',
        '',
      ].join('\n'),
    );
    expectNoStack(r);
    expect(readTree(join(dir, 'out'))).toEqual(
      new Map([
        ['README.md', 'mine\n'],
        ['shop/index.html', 'my page\n'],
      ]),
    );
  });

  it('a foreign x.plan.json does not make render delete the sibling directory x/', async () => {
    const dir = repo({
      'shop/kubemin.yaml': SHOP,
      'out/web.plan.json': '{"kind": "Plan", "app": "web", "phases": []}\n',
      'out/web/site.yaml': 'precious: true\n',
    });
    const r = await cli(['render', 'shop', '--out', 'out'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readTree(join(dir, 'out/web'))).toEqual(new Map([['site.yaml', 'precious: true\n']]));
  });

  it('--check lists what differs and says what render would refuse, changing nothing', async () => {
    const dir = repo({ 'shop/kubemin.yaml': SHOP });
    await cli(['render', 'shop', '--out', 'out'], dir);
    writeFileSync(join(dir, 'out/shop/05-app/05-deployment-web.yaml'), 'edited\n');
    const before = readTree(join(dir, 'out'));
    const check = await cli(['render', 'shop', '--out', 'out', '--check'], dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toBe('~ shop/05-app/05-deployment-web.yaml\n');
    expect(check.stderr).toContain(
      'out is out of date: 1 file(s) differ, and kubemin render would refuse to write it: it does not replace or delete what it did not write. Move these away first:\n' +
        '  out/shop/05-app/05-deployment-web.yaml was changed since kubemin wrote it\n',
    );
    const r = await cli(['render', 'shop', '--out', 'out'], dir);
    expect(r.code).toBe(2);
    expect(readTree(join(dir, 'out'))).toEqual(before);
  });
});

describe('two renders into one directory', () => {
  it('a render while another holds the lock fails at once naming its pid; a stale lock is taken over', async () => {
    const dir = repo({ 'shop/kubemin.yaml': SHOP });
    await cli(['render', 'shop', '--out', 'out'], dir);
    writeFileSync(join(dir, 'shop/kubemin.yaml'), SHOP.replace('LOG_LEVEL: info', 'LOG_LEVEL: debug'));
    writeFileSync(join(dir, 'out/.kubemin-render.lock'), `${process.pid} ${hostname()}\n`);
    const before = readTree(join(dir, 'out'));
    const r = await cli(['render', 'shop', '--out', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `kubemin: cannot lock out/.kubemin-render.lock: another kubemin process (pid ${process.pid}) is writing or reading this bundle directory. ` +
        'Wait for it to finish and run again; if no kubemin is running there, delete out/.kubemin-render.lock.\n',
    );
    expect(readTree(join(dir, 'out'))).toEqual(before);
    const check = await cli(['render', 'shop', '--out', 'out', '--check'], dir);
    expect(check.code).toBe(2);
    // The holder is gone (a pid that exited): taken over.
    const { stdout: gone } = await execFileP(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(join(dir, 'out/.kubemin-render.lock'), `${gone} ${hostname()}\n`);
    const again = await cli(['render', 'shop', '--out', 'out'], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(readTree(join(dir, 'out')).get('shop/02-data-settings/01-configmap-settings.yaml')).toContain('LOG_LEVEL: debug');
    expect(existsSync(join(dir, 'out/.kubemin-render.lock'))).toBe(false);
  });

  it('racing renders of one app each: every one that succeeded left its app, none is lost; the others failed cleanly', async () => {
    const apps = Array.from({ length: 6 }, (_, i) => `app-${i}`);
    const dir = repo(Object.fromEntries(apps.map((a, i) => [`${a}/kubemin.yaml`, appSpec(i, a)])));
    const runs = await Promise.all(apps.map((a) => cli(['render', '.', '--out', 'out', '--app', a], dir)));
    const ok = apps.filter((_, i) => runs[i]!.code === 0);
    for (const r of runs) {
      expectNoStack(r);
      if (r.code !== 0)
        expect(r.stderr).toMatch(
          /^kubemin: cannot lock out\/\.kubemin-render\.lock: another kubemin process \(pid \d+\) is writing or reading this bundle directory\./,
        );
    }
    expect(ok.length).toBeGreaterThan(0);
    const rendered = (): string[] =>
      [...readTree(join(dir, 'out')).keys()].filter((p) => p.endsWith('.plan.json')).map((p) => p.slice(0, -'.plan.json'.length));
    expect(rendered()).toEqual(ok);
    const record = JSON.parse(readFileSync(join(dir, 'out/.kubemin-bundle.json'), 'utf8')) as { apps: Record<string, unknown> };
    expect(Object.keys(record.apps)).toEqual(ok);
    // Those that failed, run again one by one: every app is there, as one render of all gives it.
    for (const [i, a] of apps.entries()) if (runs[i]!.code !== 0) expect((await cli(['render', '.', '--out', 'out', '--app', a], dir)).code).toBe(0);
    expect((await cli(['render', '.', '--out', 'all'], dir)).code).toBe(0);
    expect(readTree(join(dir, 'out'))).toEqual(readTree(join(dir, 'all')));
  });

  it('racing full renders leave exactly one complete render', async () => {
    const dir = repo(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`app-${i}/kubemin.yaml`, appSpec(i, `app-${i}`)])));
    expect((await cli(['render', '.', '--out', 'expected'], dir)).code).toBe(0);
    const runs = await Promise.all(Array.from({ length: 4 }, () => cli(['render', '.', '--out', 'out'], dir)));
    for (const r of runs) {
      expectNoStack(r);
      expect([0, 2]).toContain(r.code);
    }
    expect(runs.some((r) => r.code === 0)).toBe(true);
    expect(readTree(join(dir, 'out'))).toEqual(readTree(join(dir, 'expected')));
  });
});

describe('a render killed with SIGKILL', () => {
  it('is completed or undone by the next command: render --check sees the old or the new bundle', async () => {
    const base = repo(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`app-${i}/kubemin.yaml`, appSpec(i, `app-${i}`)])));
    expect((await cli(['render', '.', '--out', 'out'], base)).code).toBe(0);
    const old = readTree(join(base, 'out'));
    for (let i = 0; i < 40; i += 2) writeFileSync(join(base, `app-${i}/kubemin.yaml`), appSpec(i + 500, `app-${i}`));
    expect((await cli(['render', '.', '--out', 'expected'], base)).code).toBe(0);
    const want = readTree(join(base, 'expected'));
    const outcomes = new Set<string>();
    for (const delayMs of [0, 5, 20]) {
      const dir = tempDir();
      cpSync(base, dir, { recursive: true });
      const child = spawn(process.execPath, [kubemin, 'render', '.', '--out', 'out'], { cwd: dir, stdio: 'ignore' });
      // Kill it once it holds the lock (it is then writing), a little later each time.
      const lock = join(dir, 'out/.kubemin-render.lock');
      const exited = new Promise<void>((done) => child.on('exit', () => done()));
      for (let polls = 0; !existsSync(lock) && child.exitCode === null && polls < 20_000; polls++) await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      await exited;
      const check = await cli(['render', '.', '--out', 'out', '--check'], dir);
      expectNoStack(check);
      const tree = readTree(join(dir, 'out'));
      const state =
        JSON.stringify([...tree]) === JSON.stringify([...old]) ? 'old' : JSON.stringify([...tree]) === JSON.stringify([...want]) ? 'new' : 'neither';
      expect(state, `killed ${delayMs} ms after it took the lock`).not.toBe('neither');
      expect(check.code).toBe(state === 'new' ? 0 : 1);
      outcomes.add(state);
    }
    expect(outcomes.size).toBeGreaterThan(0);
  }, 120_000);
});
