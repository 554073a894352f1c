import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';
import { builtBinary } from '../plugins/built-binary.js';

/**
 * Shell completion: `kubemin __complete <words...>` (what the scripts ask), then each shell's script
 * run in that shell (bash, zsh, fish), with `kubemin` on PATH as bin/kubemin.js built from the
 * current sources. App and environment names come from the specs in the working directory.
 */

/** Specs here: books (environments dev, production, staging), status-page, and shop; and a file that does not parse. */
function specsDir(): string {
  const dir = tempDir();
  copyFileSync(join(REPO, 'fixtures/render/environments/kubemin.yaml'), join(dir, 'kubemin.yaml'));
  cpSync(join(REPO, 'examples/shop'), join(dir, 'shop'), { recursive: true });
  mkdirSync(join(dir, 'broken'));
  writeFileSync(join(dir, 'broken', 'kubemin.yaml'), 'metadata: {name: [\n');
  return dir;
}

const complete = async (dir: string, ...words: string[]): Promise<string[]> => {
  const r = await cli(['__complete', ...words], dir);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
};
/** render's description as completion shows it: its first clause, cut at 80 characters. */
const RENDER = 'render the manifest bundle: <out>/<app>/NN-<phase>/MM-<kind>-<name>.yaml and <o…';

const candidates = (lines: readonly string[]): string[] => lines.map((l) => l.split('\t')[0]!);

describe('kubemin __complete', () => {
  let dir: string;
  beforeAll(() => {
    dir = specsDir();
  });

  it('commands, with their descriptions; never the hidden __complete', async () => {
    const lines = await complete(dir, '');
    const names = candidates(lines);
    for (const c of ['validate', 'render', 'plan', 'diff', 'apply', 'watch', 'promote', 'version', 'completion', 'help']) expect(names).toContain(c);
    expect(names).not.toContain('__complete');
    expect(lines).toContain('validate\tcheck specs against the schema and the semantic rules');
    expect(candidates(await complete(dir, 'ren'))).toEqual(['render']);
    expect(candidates(await complete(dir, 'help', 'v'))).toEqual(['validate', 'view', 'version']);
    expect(candidates(await complete(dir, 'import', ''))).toEqual(['kubemin-cli']);
    expect(await complete(dir, 'nosuch', '')).toEqual([]);
  });

  it('flags of the command, hidden ones left out; a top-level flag', async () => {
    expect(candidates(await complete(dir, 'render', '--e'))).toEqual(['--env']);
    const flags = candidates(await complete(dir, 'plan', '-'));
    expect(flags).toEqual(expect.arrayContaining(['--app', '--env', '--output', '--help']));
    expect(flags).not.toContain('--format'); // deprecated, hidden
    expect(candidates(await complete(dir, 'render', '-o'))).toEqual(['-o']);
    expect(candidates(await complete(dir, '--v'))).toEqual(['--version']);
  });

  it('app and environment names from the specs here (a file that does not parse passed over)', async () => {
    expect(await complete(dir, 'diff', '--app', '')).toEqual(['books', 'shop', 'status-page']);
    expect(await complete(dir, 'render', '--env', '')).toEqual(['dev', 'production', 'staging']);
    expect(await complete(dir, 'promote', '')).toEqual(['books', 'shop', 'status-page']);
    expect(await complete(dir, 'promote', 'books', '--from', 'st')).toEqual(['staging']);
    expect(await complete(dir, 'promote', 'books', '--to', 'p')).toEqual(['production']);
    expect(await complete(dir, 'diff', '--app=s')).toEqual(['--app=shop', '--app=status-page']);
    // bash splits `--app=s` at the `=`.
    expect(await complete(dir, 'diff', '--app', '=', 's')).toEqual(['shop', 'status-page']);
    // The paths typed for the command, as the command will read them; paths after an option's value too.
    expect(await complete(dir, 'diff', 'shop', '--app', '')).toEqual(['shop']);
    expect(await complete(dir, 'render', '--app', 'x', 'kubemin.yaml', '--env', '')).toEqual(['dev', 'production', 'staging']);
    expect(await complete(dir, 'render', 'shop', '--env', '')).toEqual([]);
    expect(await complete(dir, 'promote', 'books', 'shop', '--from', 'dev', '--to', '')).toEqual([]);
    expect(await complete(dir, 'diff', 'no-such-dir', '--app', '')).toEqual([]);
    // Elsewhere: no specs, no names.
    expect(await complete(tempDir(), 'diff', '--app', '')).toEqual([]);
  });

  it('kubeconfig contexts for --context: of the --kubeconfig typed, else of KUBECONFIG', async () => {
    const kubeconfig = join(tempDir(), 'config');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\ncontexts:\n- {name: prod, context: {cluster: c, user: u}}\n- {name: staging-eu, context: {cluster: c, user: u}}\n- {name: dev, context: {cluster: c, user: u}}\n',
    );
    expect(await complete(dir, 'diff', '--kubeconfig', kubeconfig, '--context', '')).toEqual(['dev', 'prod', 'staging-eu']);
    expect(await complete(dir, 'apply', '--kubeconfig', kubeconfig, '--context', 's')).toEqual(['staging-eu']);
    expect(await complete(dir, 'version', '--kubeconfig', join(tempDir(), 'none'), '--context', '')).toEqual([]);
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = kubeconfig;
    try {
      expect(await complete(dir, 'diff', '--context', 'p')).toEqual(['prod']);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });

  it('choices of options and arguments; file names (:files) for paths and file options', async () => {
    expect(await complete(dir, 'render', '-o', '')).toEqual(['text', 'json', 'yaml']);
    expect(await complete(dir, 'diff', '--output', 'm')).toEqual(['markdown']);
    expect(await complete(dir, 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(await complete(dir, 'completion', 'bash', '')).toEqual([]);
    expect(await complete(dir, 'render', '--out', '')).toEqual([':files']);
    expect(await complete(dir, 'apply', '--kubeconfig', '')).toEqual([':files']);
    expect(await complete(dir, 'validate', '')).toEqual([':files']);
    expect(await complete(dir, 'promote', 'books', '')).toEqual([':files']);
    // An option's value is no positional argument: promote's APP is still the first.
    expect(await complete(dir, 'promote', '--from', 'dev', '')).toEqual(['books', 'shop', 'status-page']);
  });
});

describe('the scripts, in their shells', () => {
  let dir: string;
  let path: string;
  beforeAll(async () => {
    dir = specsDir();
    const bin = await builtBinary();
    const shim = tempDir('kubemin-shim-');
    writeFileSync(join(shim, 'kubemin'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
    chmodSync(join(shim, 'kubemin'), 0o755);
    path = `${shim}:${process.env.PATH}`;
  }, 60_000);

  const shell = (cmd: string, args: readonly string[]): string => {
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: path, HOME: tempDir() } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout;
  };

  /** bash: the script sourced, COMP_WORDS and COMP_CWORD set as bash sets them, the function called, COMPREPLY printed. */
  const bash = (...words: string[]): string[] =>
    shell('bash', [
      '-c',
      `source <(kubemin completion bash)
       complete -p kubemin >/dev/null || exit 3
       COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
       _kubemin_complete
       printf '%s\\n' "\${COMPREPLY[@]}"`,
    ])
      .split('\n')
      .filter(Boolean);

  it('bash', () => {
    expect(bash('kubemin', 'ren')).toEqual(['render']);
    expect(bash('kubemin', 'render', '--env', '')).toEqual(['dev', 'production', 'staging']);
    expect(bash('kubemin', 'diff', '--app', 's')).toEqual(['shop', 'status-page']);
    expect(bash('kubemin', 'promote', 'books', '--to', 'st')).toEqual(['staging']);
    expect(bash('kubemin', 'render', '--chec')).toEqual(['--check']);
    // File names, by bash itself.
    expect(bash('kubemin', 'render', '--out', 'sh')).toEqual(['shop']);
  });

  /** zsh: compinit, the script sourced, _describe and _files replaced by functions that print what they are given, then _kubemin with words and CURRENT as zsh sets them. */
  const zsh = (...words: string[]): string =>
    shell('zsh', [
      '-f',
      '-c',
      `autoload -U compinit && compinit -u -D
       source <(kubemin completion zsh)
       [[ "$_comps[kubemin]" == _kubemin ]] || exit 3
       _describe() { shift 3; print -rl -- "\${(@P)1}"; }
       _files() { print -r -- FILES; }
       words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}
       _kubemin`,
    ]);

  it('zsh', () => {
    // name:description, a colon in the name escaped; descriptions cut at 80 characters.
    expect(zsh('kubemin', 'ren')).toBe(`render:${RENDER}\n`);
    expect(zsh('kubemin', 'render', '--env', '')).toBe('dev\nproduction\nstaging\n');
    expect(zsh('kubemin', 'promote', 'books', '--from', 'p')).toBe('production\n');
    expect(zsh('kubemin', 'render', '--chec')).toMatch(/^--check:do not write: exit 1 and list the files/);
    expect(zsh('kubemin', 'render', '--out', '')).toBe('FILES\n');
  });

  /** fish: the script sourced, then fish's own `complete -C` for a command line. */
  const fish = (line: string): string[] =>
    shell('fish', ['--no-config', '-c', `kubemin completion fish | source; complete -C ${JSON.stringify(line)}`])
      .split('\n')
      .filter(Boolean);

  it('fish', () => {
    expect(fish('kubemin ren')).toEqual([`render\t${RENDER}`]);
    expect(fish('kubemin render --env ')).toEqual(['dev', 'production', 'staging']);
    expect(fish('kubemin diff --app s')).toEqual(['shop', 'status-page']);
    expect(fish('kubemin promote books --to st')).toEqual(['staging']);
    expect(fish('kubemin render --out sh')).toEqual(['shop/']);
  });
});
