import { Command, CommanderError } from 'commander';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initCommand, type InitDeps } from '../../src/cli/commands/init.js';
import { compile } from '../../src/compile.js';
import { InitCancelled } from '../../src/init/ask.js';
import { SCHEMA_ID } from '../../src/spec/build-schema.js';
import { tempDir } from '../helpers/cli.js';
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
  it('writes kubemin.yaml from the flags, in a new directory, pointing at the schema URL', async () => {
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
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_ID}`);
    expect(text).toContain('  namespace: shop\nspec:\n  createNamespace: true\n');
    expect(text).toContain('    - name: web\n      type: webservice\n      image: ghcr.io/acme/shop:1.4.0\n      ports: [{port: 8080}]\n');
    expect(compiles(file)).toEqual(['namespace', 'redis', 'web']);
    expect(readdirSync(dir)).toEqual(['kubemin.yaml']);
  });

  it('never overwrites an existing kubemin.yaml without --force, and replaces it with --force', async () => {
    const dir = tempDir();
    const file = join(dir, 'kubemin.yaml');
    writeFileSync(file, 'mine\n');
    const refused = await init([...SHOP, '--dir', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`${file} exists already: nothing was written (--force replaces it)\n`);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');

    const forced = await init([...SHOP, '--dir', dir, '--force', '--parallel', '2']);
    expect(forced.code).toBe(0);
    expect(compiles(file)).toEqual(['namespace', 'parallel']);
    expect(readdirSync(dir)).toEqual(['kubemin.yaml']);
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
    expect(r.stderr).toMatch(/^cannot write .*file\/sub\/kubemin\.yaml: ENOTDIR/);
  });

  it('bad flags: every problem, exit 2, nothing written', async () => {
    const dir = tempDir();
    const r = await init(['--yes', '--dir', dir, '--name', 'Shop', '--component', 'web:webservice', '--component', 'db:store:redis:99999']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([
      expect.stringMatching(/^--name: "Shop" must be a lowercase RFC 1123 label/),
      '--component "web:webservice": a webservice needs an image: web:webservice:IMAGE[:PORT]',
      '--component "db:store:redis:99999": "99999" must be a port number from 1 to 65535',
      '',
    ]);
    expect(readdirSync(dir)).toEqual([]);
    const none = await init(['--yes', '--dir', dir, '--name', 'shop']);
    expect(none).toMatchObject({ code: 2, stderr: 'give at least one --component name:type[:image[:port]]\n' });
  });

  it('without --yes and without a terminal: exit 2, telling to use --yes with flags', async () => {
    const dir = tempDir();
    const r = await init(['--dir', dir, '--name', 'shop']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'stdin is not a terminal, so init cannot ask: give the answers as flags with --yes, e.g.\n' +
        '  kubemin init --yes --name shop --component web:webservice:nginx:1.27:8080\n',
    );
    expect(readdirSync(dir)).toEqual([]);
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
