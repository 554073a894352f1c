import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { EXIT, type Io } from '../output.js';

/**
 * `kubemin import <tool> <file>`: converts an application written for another tool into a
 * kubemin.yaml. One subcommand per tool; today KubeMin-Cli.
 */
export function importCommand(io: Io, setExit: (code: number) => void): Command {
  const kubeminCli = new Command('kubemin-cli')
    .description('convert a KubeMin-Cli application (the JSON body of its REST API) into a kubemin.yaml')
    .argument('<file>', 'the KubeMin-Cli application, as JSON')
    .option('-o, --output <file>', 'write the kubemin.yaml to this file (replaced atomically) instead of stdout')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .action(async (file: string, opts: { output?: string }) => setExit(await importKubeminCliFile(io, file, opts.output)));
  return new Command('import')
    .description('convert an application written for another tool into a kubemin.yaml')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .addCommand(kubeminCli);
}

/** Reads, converts, reports, writes; returns the exit code. */
async function importKubeminCliFile(io: Io, file: string, output: string | undefined): Promise<number> {
  const { importKubeminCli } = await import('../../import/kubemin-cli/import-kubemin-cli.js');
  const { formatProblem } = await import('../../import/kubemin-cli/problems.js');
  const { kubeminCliSecrets } = await import('../../import/kubemin-cli/secrets.js');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    io.stderr(`kubemin: cannot read ${file}: ${reason(err)}\n`);
    return EXIT.error;
  }
  const parsed = await parseJson(text);
  if ('error' in parsed) {
    io.stderr(`${file}: error: ${parsed.error}\n`);
    return EXIT.problems;
  }
  for (const v of kubeminCliSecrets(parsed.value)) io.secrets?.add(v);
  const result = importKubeminCli(parsed.value, { file: basename(file) });
  io.stderr(result.warnings.map((w) => formatProblem(file, 'warning', w)).join(''));
  if (result.errors.length) {
    io.stderr(result.errors.map((e) => formatProblem(file, 'error', e)).join(''));
    io.stderr(`${file}: not converted (${count(result.errors.length, 'error')}): nothing was written\n`);
    return EXIT.problems;
  }
  if (output === undefined) {
    (io.product ?? io.stdout)(result.spec);
    return EXIT.ok;
  }
  try {
    writeAtomically(output, result.spec);
  } catch (err) {
    io.stderr(`kubemin: cannot write ${output}: ${reason(err)}\n`);
    return EXIT.error;
  }
  io.stderr(`${file}: imported into ${output}${result.warnings.length ? ` (${count(result.warnings.length, 'warning')})` : ''}\n`);
  return EXIT.ok;
}

/** JSON.parse, with a message of kubemin's own that says where and never quotes the input. */
async function parseJson(text: string): Promise<{ value: unknown } | { error: string }> {
  try {
    return { value: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch {
    const { jsonSyntaxError } = await import('../../import/kubemin-cli/json-syntax.js');
    const e = jsonSyntaxError(text);
    return { error: `invalid JSON at line ${e.line}, column ${e.col}: ${e.message}` };
  }
}

/** Writes `path` whole or not at all: a temporary file beside it, then a rename over it. */
function writeAtomically(path: string, text: string): void {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new Error('it is a directory');
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
