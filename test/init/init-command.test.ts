import { Command, CommanderError } from 'commander';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initCommand, type InitDeps } from '../../src/cli/commands/init.js';
import { compile } from '../../src/compile.js';
import { InitCancelled } from '../../src/init/ask.js';
import { builtinRegistry } from '../../src/plugins/builtin.js';
import { buildEditorSchema } from '../../src/spec/editor-schema.js';
import { tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';
import { scriptedAsk } from './scripted-ask.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `kubemin init ...` in-process: a commander program with just the init command. */
async function init(args: string[], deps: InitDeps = { interactive: () => false }): Promise<Run> {
  const run: Run = { code: -1, stdout: '', stderr: '' };
  const io = { stdout: (s: string) => void (run.stdout += s), stderr: (s: string) => void (run.stderr += s), color: false };
  const program = new Command('kubemin').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program.addCommand(
    initCommand(io, (c) => void (run.code = c), deps)
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr }),
  );
  try {
    await program.parseAsync(['init', ...args], { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    run.code = err.exitCode === 0 ? 0 : 2;
  }
  return run;
}

function compiles(file: string): string[] {
  const result = compile([{ path: 'kubemin.yaml', text: readFileSync(file, 'utf8') }]);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.apps[0]!.phases.map((p) => p.name);
}

const SHOP = [
  '--yes',
  '--name',
  'shop',
  '--create-namespace',
  '--component',
  'redis:store:redis:7.2:6379',
  '--component',
  'web:webservice:ghcr.io/acme/shop:1.4.0',
];

describe('kubemin init --yes', () => {
  it('writes kubemin.yaml from the flags, in a new directory, and the editor schema it points at', async () => {
    const dir = join(tempDir(), 'apps', 'shop');
    const r = await init([...SHOP, '--dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = join(dir, 'kubemin.yaml');
    expect(r.stdout).toBe(
      `wrote ${file}: application shop, 2 component(s), 3 phase(s)\n` +
        `next: kubemin plan ${dir} shows the phases; kubemin render ${dir} --out rendered writes the manifests\n`,
    );
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=.kubemin/schema.json');
    expect(readFileSync(join(dir, '.kubemin', 'schema.json'), 'utf8')).toBe(JSON.stringify(buildEditorSchema(builtinRegistry), null, 2) + '\n');
    expect(text).toContain('  namespace: shop\nspec:\n  createNamespace: true\n');
    expect(text).toContain('    - name: web\n      type: webservice\n      image: ghcr.io/acme/shop:1.4.0\n      ports: [{port: 8080}]\n');
    expect(compiles(file)).toEqual(['namespace', 'redis', 'web']);
    expect(readdirSync(dir).sort()).toEqual(['.kubemin', 'kubemin.yaml']);
  });

  it('never overwrites an existing kubemin.yaml without --force, and replaces it with --force', async () => {
    const dir = tempDir();
    const file = join(dir, 'kubemin.yaml');
    writeFileSync(file, 'mine\n');
    const refused = await init([...SHOP, '--dir', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `<input> error spec-exists ${file} exists already: nothing was written\n  hint: --force replaces it\n\n1 error, 0 warnings in 1 file\n`,
    );
    expect(readFileSync(file, 'utf8')).toBe('mine\n');

    const forced = await init([...SHOP, '--dir', dir, '--force', '--parallel', '2']);
    expect(forced.code).toBe(0);
    expect(compiles(file)).toEqual(['namespace', 'parallel']);
    expect(readdirSync(dir).sort()).toEqual(['.kubemin', 'kubemin.yaml']);
  });

  it('the directory name is the default application name; the namespace defaults to it', async () => {
    const dir = join(tempDir(), 'Billing_API');
    const r = await init(['--yes', '--dir', dir, '--component', 'api:webservice:nginx']);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'kubemin.yaml'), 'utf8');
    expect(text).toContain('metadata:\n  name: billing-api\n  namespace: billing-api\nspec:\n  createNamespace: false\n');
  });

  it('shows the warnings of the new spec, and writes it', async () => {
    const dir = tempDir();
    const r = await init(['--yes', '--dir', dir, '--name', 'vault', '--component', 'creds:secret']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${join(dir, 'kubemin.yaml')}:11:7 warning plain-secret secret "creds" has its values in plain text in git`);
    expect(compiles(join(dir, 'kubemin.yaml'))).toEqual(['creds']);
  });

  it('a directory that cannot be made: exit 2 with the reason', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    const r = await init(['--yes', '--dir', join(dir, 'file', 'sub'), '--name', 'a', '--component', 'c:config']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^\/.*file\/sub\/kubemin\.yaml:1:1 error cannot-write cannot write the spec: ENOTDIR/);
  });

  it('bad flags: every problem, exit 2, nothing written', async () => {
    const dir = tempDir();
    const r = await init(['--yes', '--dir', dir, '--name', 'Shop', '--component', 'web:webservice', '--component', 'db:store:redis:99999']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([
      expect.stringMatching(/^<input> error invalid-flag --name: "Shop" must be a lowercase RFC 1123 label/),
      '',
      '<input> error invalid-flag --component "web:webservice": a webservice needs an image: web:webservice:IMAGE[:PORT]',
      '',
      '<input> error invalid-flag --component "db:store:redis:99999": "99999" must be a port number from 1 to 65535',
      '',
      '3 errors, 0 warnings in 1 file',
      '',
    ]);
    expect(readdirSync(dir)).toEqual([]);
    const none = await init(['--yes', '--dir', dir, '--name', 'shop']);
    expect(none).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^<input> error missing-answer give at least one --component name:type\[:image\[:port\]\]\n/),
    });

    const json = await init(['--yes', '--dir', dir, '--name', 'Shop', '--component', 'web:webservice', '--format', 'json']);
    expect(json.code).toBe(2);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ errors: 2, warnings: 0, diagnostics: [{ code: 'invalid-flag' }, { code: 'invalid-flag' }] });
    const github = await init(['--yes', '--dir', dir, '--name', 'shop', '--format', 'github']);
    expect(github).toMatchObject({ code: 2, stdout: '::error title=kubemin missing-answer::give at least one --component name:type[:image[:port]]\n' });
  });

  it('without --yes and without a terminal: exit 2, telling to use --yes with flags', async () => {
    const dir = tempDir();
    const r = await init(['--dir', dir, '--name', 'shop']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      '<input> error cannot-ask stdin is not a terminal, so init cannot ask\n' +
        '  hint: give the answers as flags with --yes, e.g. kubemin init --yes --name shop --component web:webservice:nginx:1.27:8080\n\n' +
        '1 error, 0 warnings in 1 file\n',
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('kubemin init: the editor schema', () => {
  it('a directory with plugins: the schema beside its kubemin.config has their fields, and every spec under it points there', async () => {
    const repo = tempDir();
    // The nearest kubemin.config up to the repository's root applies, as for every command.
    execFileSync('git', ['init', '-q', repo]);
    for (const f of ['kubemin.config.mjs', 'ai-eval.plugin.mjs']) copyFileSync(join(REPO, 'examples/plugins/ai-eval', f), join(repo, f));
    const dir = join(repo, 'apps', 'eval');
    const r = await init(['--yes', '--dir', dir, '--name', 'eval', '--component', 'web:webservice:nginx:1.27']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'kubemin.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../../.kubemin/schema.json');
    expect(existsSync(join(dir, '.kubemin'))).toBe(false);
    const schema = JSON.parse(readFileSync(join(repo, '.kubemin', 'schema.json'), 'utf8')) as { $defs: Record<string, unknown> };
    expect(Object.keys(schema.$defs)).toContain('trait.serviceMonitor');
    expect(Object.keys(schema.$defs)).not.toEqual(Object.keys(buildEditorSchema(builtinRegistry).$defs ?? {}));
  });

  it('a schema that cannot be written is a warning: the spec is written', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.kubemin', 'schema.json'), { recursive: true });
    const r = await init(['--yes', '--dir', dir, '--name', 'a', '--component', 'c:config']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^<input> warning cannot-write-schema cannot write the editor schema .*\.kubemin\/schema\.json/);
    expect(existsSync(join(dir, 'kubemin.yaml'))).toBe(true);
  });
});

describe('kubemin init, asking', () => {
  it('asks what the flags do not say, then writes the file', async () => {
    const dir = join(tempDir(), 'shop');
    const prompt = scriptedAsk(['', '', 'config', 'api', '', 'nginx:1.27', '80', '', '2']);
    let closed = false;
    const r = await init(['--dir', dir, '--namespace', 'shop-prod', '--no-create-namespace'], {
      interactive: () => true,
      openPrompt: () => ({ ...prompt, close: () => void (closed = true) }),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(closed).toBe(true);
    expect(prompt.asked.map((q) => q.question)).toEqual([
      'Application name',
      'Component 1 name',
      'Type of shop',
      'Component 2 name (empty: done)',
      'Type of api',
      'Image of api',
      'Port of api',
      'Component 3 name (empty: done)',
      'How many of the last components deploy together, in parallel (0: each after the one before)',
    ]);
    const file = join(dir, 'kubemin.yaml');
    expect(compiles(file)).toEqual(['parallel']);
    expect(readFileSync(file, 'utf8')).toContain('metadata:\n  name: shop\n  namespace: shop-prod\nspec:\n  createNamespace: false\n');
  });

  it('Ctrl-C: exit 130, end of input: exit 2; nothing written', async () => {
    for (const [reason, code, message] of [
      ['interrupt', 130, 'interrupted: nothing was written\n'],
      ['eof', 2, 'the input ended before every question was answered: nothing was written\n'],
    ] as const) {
      const dir = tempDir();
      const prompt = scriptedAsk(['shop', new InitCancelled(reason)]);
      const r = await init(['--dir', dir], { interactive: () => true, openPrompt: () => prompt });
      expect(r).toEqual({ code, stdout: '', stderr: message });
      expect(existsSync(join(dir, 'kubemin.yaml'))).toBe(false);
    }
  });
});
