import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtBinary, runBinary } from '../plugins/built-binary.js';
import { REPO } from '../helpers/tree.js';

/**
 * What `kubemin --help`, `kubemin --version` and each command's `--help` print, as a user's
 * terminal gets them from bin/kubemin.js (output piped: 80 columns). The commands are defined
 * apart from what they run (their actions import it when they run): the text must not change
 * with that. fixtures/help/ is reviewed, never regenerated blindly.
 */
const GOLDEN = join(REPO, 'fixtures/help');
const COMMANDS = ['validate', 'render', 'plan', 'diff', 'apply', 'watch', 'schema', 'plugins', 'init', 'import', 'promote', 'version', 'completion', 'view'];

/** Without FORCE_COLOR or NO_COLOR from the test's own environment. */
const plainEnv = { FORCE_COLOR: '', NO_COLOR: '' };

let bin: string;
beforeAll(async () => {
  bin = await builtBinary();
});

describe('help text', () => {
  it('kubemin --version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const r = await runBinary(bin, ['--version'], REPO, plainEnv);
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('kubemin --help, and kubemin with no command (on stderr, exit 2)', async () => {
    const golden = readFileSync(join(GOLDEN, 'kubemin.txt'), 'utf8');
    expect(golden).toMatch(/^Usage: kubemin \[options\] \[command\]/);
    expect(await runBinary(bin, ['--help'], REPO, plainEnv)).toEqual({ code: 0, stdout: golden, stderr: '' });
    expect(await runBinary(bin, [], REPO, plainEnv)).toEqual({ code: 2, stdout: '', stderr: golden });
  });

  it.each(COMMANDS)('kubemin %s --help (and kubemin help <command>)', async (command) => {
    const golden = readFileSync(join(GOLDEN, `${command}.txt`), 'utf8');
    expect(golden).toMatch(new RegExp(`^Usage: kubemin ${command} `));
    expect(await runBinary(bin, [command, '--help'], REPO, plainEnv)).toEqual({ code: 0, stdout: golden, stderr: '' });
    expect(await runBinary(bin, ['help', command], REPO, plainEnv)).toEqual({ code: 0, stdout: golden, stderr: '' });
  });

  it('kubemin import kubemin-cli --help', async () => {
    const golden = readFileSync(join(GOLDEN, 'import-kubemin-cli.txt'), 'utf8');
    expect(golden).toMatch(/^Usage: kubemin import kubemin-cli /);
    expect(await runBinary(bin, ['import', 'kubemin-cli', '--help'], REPO, plainEnv)).toEqual({ code: 0, stdout: golden, stderr: '' });
  });

  it('a misspelt command: one line and a suggestion, exit 2', async () => {
    const r = await runBinary(bin, ['valdate'], REPO, plainEnv);
    expect(r).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'valdate'\n(Did you mean validate?)\n" });
  });
});
