import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';
import { builtBinary } from '../plugins/built-binary.js';

/**
 * Commands load only what they use: each command's action imports its operation when it runs
 * (src/cli/commands/), so the compiler's commands never load the cluster client, git, the file
 * watcher, metrics or the Action's packages. Checked on bin/kubemin.js as a user runs it (the CLI
 * bundled as `npm run build` bundles it: build/cli/, split at those imports, npm packages left
 * as imports), started with a module hook (node --import) that lists every file loaded: ES
 * modules through a resolve hook, CommonJS from require's cache at exit. No timing: which
 * packages, by name, and which files of the bundle.
 */
const HOOK = `
import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
const out = process.env.KUBEMIN_TEST_LOADED;
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(\${JSON.stringify(out)}, resolved.url + '\\\\n');
  return resolved;
}\`));
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(out, Object.keys(require.cache).join('\\n') + '\\n'));
`;

/** What the compiler's commands must never load. */
const HEAVY = ['@kubernetes/client-node', 'simple-git', 'chokidar', 'prom-client', '@actions/core', '@actions/github', 'diff'];

const SHOP = join(REPO, 'examples/shop');

let bin: string;
let hook: string;
beforeAll(async () => {
  bin = await builtBinary();
  hook = join(tempDir('kubemin-hook-'), 'list-loaded.mjs');
  writeFileSync(hook, HOOK);
});

interface Loaded {
  readonly code: number;
  readonly stderr: string;
  /** The npm packages whose files were loaded, sorted. */
  readonly packages: readonly string[];
  /** kubemin's own files loaded (outside node_modules), relative to the binary's directory, sorted. */
  readonly own: readonly string[];
}

/** Runs bin/kubemin.js with the hook; returns the packages it loaded. */
function runListingPackages(args: readonly string[]): Promise<Loaded> {
  const list = join(tempDir('kubemin-loaded-'), 'loaded.txt');
  writeFileSync(list, '');
  return new Promise((resolve) => {
    const env = { ...process.env, KUBEMIN_TEST_LOADED: list, KUBECONFIG: join(REPO, 'no-such-kubeconfig') };
    execFile(process.execPath, ['--import', hook, bin, ...args], { cwd: REPO, env, encoding: 'utf8', timeout: 60_000 }, (err, _stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      const packages = new Set<string>();
      const own = new Set<string>();
      const root = pathToFileURL(dirname(dirname(bin))).href + '/';
      for (const line of readFileSync(list, 'utf8').split('\n')) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
        if (m) packages.add(m[1]!);
        else if (line.startsWith(root)) own.add(line.slice(root.length));
      }
      resolve({ code, stderr, packages: [...packages].sort(), own: [...own].sort() });
    });
  });
}

/** The bundle's files: bin/kubemin.js, then build/cli/ (entry points and chunks), nothing else. */
const BUNDLED = /^(bin\/kubemin\.js|build\/cli\/[\w-]+\.js)$/;

describe('commands load only what they use', () => {
  it('--version and --help load commander and nothing else', async () => {
    for (const args of [['--version'], ['--help'], ['diff', '--help'], ['watch', '--help']]) {
      const r = await runListingPackages(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.packages, args.join(' ')).toEqual(['commander']);
    }
  });

  it('runs the bundle, whose lazy imports are chunks of their own: --version loads fewer of its files than validate, validate fewer than diff', async () => {
    const version = await runListingPackages(['--version']);
    const validate = await runListingPackages(['validate', SHOP]);
    const diff = await runListingPackages(['diff', SHOP]);
    for (const r of [version, validate, diff]) {
      expect(r.own).toContain('bin/kubemin.js');
      expect(r.own).toContain('build/cli/main.js');
      for (const f of r.own) expect(f).toMatch(BUNDLED);
    }
    expect(validate.own.length).toBeGreaterThan(version.own.length);
    for (const f of version.own) expect(validate.own).toContain(f);
    expect(diff.own.length).toBeGreaterThan(validate.own.length);
    // Some tens of chunks (32 when written), not the ~220 modules of the sources one by one.
    expect(validate.own.length).toBeLessThan(60);
  });

  it.each([['validate', SHOP], ['plan', SHOP], ['render', SHOP], ['schema'], ['plugins', SHOP]])(
    'kubemin %s: the compiler, without the cluster client, git, chokidar, prom-client, @actions/* or diff',
    async (...args: string[]) => {
      const r = await runListingPackages(args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      // The hook sees the packages the compiler does load (not vacuous).
      if (args[0] !== 'schema') expect(r.packages).toContain('js-yaml');
      for (const name of HEAVY) expect(r.packages).not.toContain(name);
    },
  );

  it('shell completion (kubemin __complete, as the scripts run it at each TAB): commander, and js-yaml for the names of the specs; nothing heavy', async () => {
    const commands = await runListingPackages(['__complete', 're']);
    expect(commands.code).toBe(0);
    expect(commands.packages).toEqual(['commander']);
    const names = await runListingPackages(['__complete', 'diff', '--app', '']);
    expect(names.code).toBe(0);
    expect(names.packages).toEqual(['commander', 'js-yaml']);
  });

  it('kubemin diff does load the cluster client (the hook sees ES modules imported on demand)', async () => {
    const r = await runListingPackages(['diff', SHOP]);
    expect(r.code).toBe(2);
    expect(r.packages).toContain('@kubernetes/client-node');
    expect(r.packages).not.toContain('simple-git');
    expect(r.packages).not.toContain('chokidar');
  });
});
