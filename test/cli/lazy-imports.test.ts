import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';
import { builtBinary } from '../plugins/built-binary.js';

/**
 * Commands load only what they use: each command's action imports its operation when it runs
 * (src/cli/commands/), so the compiler's commands never load the cluster client, git, the file
 * watcher, metrics or the Action's packages. Checked on bin/kubemin.js as a user runs it, started
 * with a module hook (node --import) that lists every file loaded: ES modules through a resolve
 * hook, CommonJS from require's cache at exit. No timing: which packages, by name.
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
      for (const line of readFileSync(list, 'utf8').split('\n')) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
        if (m) packages.add(m[1]!);
      }
      resolve({ code, stderr, packages: [...packages].sort() });
    });
  });
}

describe('commands load only what they use', () => {
  it('--version and --help load commander and nothing else', async () => {
    for (const args of [['--version'], ['--help'], ['diff', '--help'], ['watch', '--help']]) {
      const r = await runListingPackages(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.packages, args.join(' ')).toEqual(['commander']);
    }
  });

  it.each([
    ['validate', SHOP],
    ['plan', SHOP],
    ['render', SHOP],
    ['schema'],
    ['plugins', SHOP],
  ])('kubemin %s: the compiler, without the cluster client, git, chokidar, prom-client, @actions/* or diff', async (...args: string[]) => {
    const r = await runListingPackages(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The hook sees the packages the compiler does load (not vacuous).
    if (args[0] !== 'schema') expect(r.packages).toContain('js-yaml');
    for (const name of HEAVY) expect(r.packages).not.toContain(name);
  });

  it('kubemin diff does load the cluster client (the hook sees ES modules imported on demand)', async () => {
    const r = await runListingPackages(['diff', SHOP]);
    expect(r.code).toBe(2);
    expect(r.packages).toContain('@kubernetes/client-node');
    expect(r.packages).not.toContain('simple-git');
    expect(r.packages).not.toContain('chokidar');
  });
});
