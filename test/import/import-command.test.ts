import { Command, CommanderError } from 'commander';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCommand } from '../../src/cli/commands/import.js';
import type { Io } from '../../src/cli/output.js';
import { builtinRegistry } from '../../src/plugins/builtin.js';
import { buildEditorSchema } from '../../src/spec/editor-schema.js';
import { tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';

const FIXTURES = join(REPO, 'fixtures/import/kubemin-cli');

/** Runs `kubemin <args>` with only the import command wired in, as the CLI entry wires it. */
async function kubemin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let code = 0;
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), color: false };
  const program = new Command('kubemin').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program.addCommand(
    importCommand(io, (c) => void (code = c))
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr }),
  );
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    code = err.exitCode === 0 ? 0 : 2;
  }
  return { code, stdout, stderr };
}

/** A temporary directory with the bookstore application as app.json. */
function workDir(): { dir: string; input: string } {
  const dir = tempDir('kubemin-import-');
  cpSync(join(FIXTURES, 'bookstore', 'app.json'), join(dir, 'app.json'));
  return { dir, input: join(dir, 'app.json') };
}

const expected = readFileSync(join(FIXTURES, 'bookstore', 'expected.kubemin.yaml'), 'utf8');
/** The golden warnings (printed for app.json) as printed for `input`. */
const expectedWarnings = (input: string): string =>
  readFileSync(join(FIXTURES, 'bookstore', 'expected.warnings.txt'), 'utf8').replace(/^app\.json:/gm, `${input}:`);

describe('kubemin import kubemin-cli <file>', () => {
  it('prints the kubemin.yaml on stdout, and the warnings at file:line:col on stderr, without --out', async () => {
    const { input } = workDir();
    const r = await kubemin(['import', 'kubemin-cli', input]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected);
    expect(r.stderr).toBe(
      `${expectedWarnings(input)}${input}: converted; the spec's schema comment names .kubemin/schema.json, which --out writes beside the spec\n`,
    );
    expect(r.stderr).toContain(`${input}:33:9 warning service-selector KubeMin-Cli's Service "mysql" selects every pod`);
  });

  it('--out writes the file and the editor schema it points at, and says so', async () => {
    const { dir, input } = workDir();
    const out = join(dir, 'kubemin.yaml');
    const r = await kubemin(['import', 'kubemin-cli', input, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(expected);
    const schema = join(dir, '.kubemin', 'schema.json');
    expect(r.stderr).toBe(`${expectedWarnings(input)}${input}: imported into ${out}, with ${schema} for editors\n`);
    expect(readFileSync(schema, 'utf8')).toBe(JSON.stringify(buildEditorSchema(builtinRegistry), null, 2) + '\n');
    expect(readdirSync(dir).sort()).toEqual(['.kubemin', 'app.json', 'kubemin.yaml']);
  });

  it('-o FILE, as before --out: still writes, with a deprecation warning', async () => {
    const { dir, input } = workDir();
    const out = join(dir, 'kubemin.yaml');
    const r = await kubemin(['import', 'kubemin-cli', input, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(`kubemin import: -o ${out} as the output file is deprecated: use --out ${out}`);
    expect(readFileSync(out, 'utf8')).toBe(expected);
  });

  it('--out replaces an existing file by a rename, leaving no temporary file', async () => {
    const { dir, input } = workDir();
    const out = join(dir, 'kubemin.yaml');
    writeFileSync(out, 'old content\n');
    const before = statSync(out).ino;
    const r = await kubemin(['import', 'kubemin-cli', '--out', out, input]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(expected);
    expect(statSync(out).ino).not.toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['.kubemin', 'app.json', 'kubemin.yaml']);
  });

  it('input that cannot be converted: every problem at file:line:col (JSON read as YAML), exit 1, the output file untouched', async () => {
    const { dir, input } = workDir();
    writeFileSync(input, JSON.stringify({ component: [{ name: 'web', image: 'nginx' }], extra: 1 }, null, 2));
    const out = join(dir, 'kubemin.yaml');
    writeFileSync(out, 'old content\n');
    const r = await kubemin(['import', 'kubemin-cli', input, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter((l) => l.startsWith(input))).toEqual([
      `${input}:1:1 error missing-name the application needs a name`,
      `${input}:3:5 error missing-type component "web" needs a type: webservice, store, config or secret`,
      `${input}:8:3 warning unknown-field unknown field "extra" in the application (dropped)`,
      `${input}: not converted: nothing was written`,
    ]);
    expect(r.stderr).toContain('> 8 |   "extra": 1\n');
    expect(readFileSync(out, 'utf8')).toBe('old content\n');

    // --format json and github: the same problems, on stdout (the spec goes to a file).
    const json = await kubemin(['import', 'kubemin-cli', input, '--out', out, '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      errors: 2,
      warnings: 1,
      diagnostics: [
        { file: input, line: 1, col: 1, pointer: '/name', code: 'missing-name' },
        { line: 3, col: 5, pointer: '/component/0/type', code: 'missing-type' },
        { line: 8, col: 3, pointer: '/extra', severity: 'warning' },
      ],
    });
    const github = await kubemin(['import', 'kubemin-cli', input, '--format', 'github']);
    expect(github.code).toBe(1);
    // Nothing converted, so stdout is free for them.
    expect(github.stderr).toBe('');
    expect(github.stdout.split('\n')[2]).toMatch(/^::warning file=.*app\.json,line=8,col=3,title=kubemin unknown-field::unknown field "extra"/);
  });

  it('code frames never show the secret values of the input', async () => {
    const { input } = workDir();
    const app = { name: 'x', component: [{ name: 'creds', type: 'secret', properties: { secret: { PASSWORD: 'hunter2' }, bogus: 1 } }] };
    writeFileSync(input, JSON.stringify(app, null, 2));
    const r = await kubemin(['import', 'kubemin-cli', input]);
    expect(r.stderr).toContain('warning plain-secret');
    // The frame of the problem below it shows the secret's line, masked.
    expect(r.stderr).toContain('   9 |           *********** *********\n');
    expect(r.stderr).not.toContain('hunter2');
  });

  it('invalid JSON: where, without quoting the input (it may hold secrets), exit 1', async () => {
    const { input } = workDir();
    writeFileSync(input, '{\n  "name": "x",\n  "secret": "hunter2",\n}\n');
    const r = await kubemin(['import', 'kubemin-cli', input]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${input.replaceAll('/', '\\/')}:4:1 error json-syntax invalid JSON: `));
    expect(r.stderr).not.toContain('hunter2');
    const bad = await kubemin(['import', 'kubemin-cli', (writeFileSync(input, '{"secret": hunter2}'), input)]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).not.toContain('hunter2');
  });

  it('a file that cannot be read or written, and usage errors, exit 2', async () => {
    const { dir, input } = workDir();
    const missing = await kubemin(['import', 'kubemin-cli', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^<input> error cannot-read cannot read .*nope\.json: ENOENT/);

    writeFileSync(join(dir, 'file'), '');
    const unwritable = await kubemin(['import', 'kubemin-cli', input, '--out', join(dir, 'file', 'kubemin.yaml')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/file\/kubemin\.yaml:1:1 error cannot-write cannot write the spec: E/);

    const directory = await kubemin(['import', 'kubemin-cli', input, '--out', dir]);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toContain('error cannot-write');

    expect((await kubemin(['import', 'kubemin-cli'])).code).toBe(2);
    expect((await kubemin(['import', 'kubemin-cli', input, '--format', 'yaml'])).code).toBe(2);
    expect((await kubemin(['import', 'helm', input])).code).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['app.json', 'file']);
  });
});
