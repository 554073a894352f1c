import { Command, CommanderError } from 'commander';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCommand } from '../../src/cli/commands/import.js';
import type { Io } from '../../src/cli/output.js';
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
const expectedWarnings = (input: string): string =>
  readFileSync(join(FIXTURES, 'bookstore', 'expected.warnings.txt'), 'utf8').replaceAll('app.json: ', `${input}: `);

describe('kubemin import kubemin-cli <file>', () => {
  it('prints the kubemin.yaml on stdout and the warnings on stderr without -o', async () => {
    const { input } = workDir();
    const r = await kubemin(['import', 'kubemin-cli', input]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected);
    expect(r.stderr).toBe(expectedWarnings(input));
  });

  it('-o writes the file, and says so', async () => {
    const { dir, input } = workDir();
    const out = join(dir, 'kubemin.yaml');
    const r = await kubemin(['import', 'kubemin-cli', input, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(expected);
    expect(r.stderr).toBe(`${expectedWarnings(input)}${input}: imported into ${out} (4 warnings)\n`);
    expect(readdirSync(dir).sort()).toEqual(['app.json', 'kubemin.yaml']);
  });

  it('--output replaces an existing file by a rename, leaving no temporary file', async () => {
    const { dir, input } = workDir();
    const out = join(dir, 'kubemin.yaml');
    writeFileSync(out, 'old content\n');
    const before = statSync(out).ino;
    const r = await kubemin(['import', 'kubemin-cli', '--output', out, input]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(expected);
    expect(statSync(out).ino).not.toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['app.json', 'kubemin.yaml']);
  });

  it('input that cannot be converted: errors with pointers, exit 1, the output file untouched', async () => {
    const { dir, input } = workDir();
    writeFileSync(input, JSON.stringify({ component: [{ name: 'web', image: 'nginx' }], extra: 1 }));
    const out = join(dir, 'kubemin.yaml');
    writeFileSync(out, 'old content\n');
    const r = await kubemin(['import', 'kubemin-cli', input, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        `${input}: /extra: warning: unknown field "extra" in the application (dropped)`,
        `${input}: /component/0/type: error: component "web" needs a type: webservice, store, config or secret`,
        `${input}: /name: error: the application needs a name`,
        `${input}: not converted (2 errors): nothing was written`,
        '',
      ].join('\n'),
    );
    expect(readFileSync(out, 'utf8')).toBe('old content\n');
  });

  it('invalid JSON: where, without quoting the input (it may hold secrets), exit 1', async () => {
    const { input } = workDir();
    writeFileSync(input, '{\n  "name": "x",\n  "secret": "hunter2",\n}\n');
    const r = await kubemin(['import', 'kubemin-cli', input]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${input.replaceAll('/', '\\/')}: error: invalid JSON at line 4, column 1: `));
    expect(r.stderr).not.toContain('hunter2');
    const bad = await kubemin(['import', 'kubemin-cli', (writeFileSync(input, '{"secret": hunter2}'), input)]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).not.toContain('hunter2');
  });

  it('a file that cannot be read or written, and usage errors, exit 2', async () => {
    const { dir, input } = workDir();
    const missing = await kubemin(['import', 'kubemin-cli', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^kubemin: cannot read .*nope\.json: ENOENT/);

    const unwritable = await kubemin(['import', 'kubemin-cli', input, '-o', join(dir, 'no-such-dir', 'kubemin.yaml')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/kubemin: cannot write .*no-such-dir\/kubemin\.yaml: ENOENT/);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);

    const directory = await kubemin(['import', 'kubemin-cli', input, '-o', dir]);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toContain('it is a directory');

    expect((await kubemin(['import', 'kubemin-cli'])).code).toBe(2);
    expect((await kubemin(['import', 'kubemin-cli', input, '--format', 'json'])).code).toBe(2);
    expect((await kubemin(['import', 'helm', input])).code).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['app.json']);
  });
});
