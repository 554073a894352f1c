import { Command } from 'commander';
import { applyCommand } from './commands/apply.js';
import { completionCommand } from './commands/completion.js';
import { diffCommand } from './commands/diff.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { planCommand } from './commands/plan.js';
import { pluginsCommand } from './commands/plugins.js';
import { promoteCommand } from './commands/promote.js';
import { renderCommand } from './commands/render.js';
import { schemaCommand } from './commands/schema.js';
import { validateCommand } from './commands/validate.js';
import { versionCommand } from './commands/version.js';
import { viewCommand } from './commands/view.js';
import { watchCommand } from './commands/watch.js';
import { packageVersion } from './package-version.js';
import type { SpecNames } from '../operations/spec-names.js';
import { Redactor } from '../secrets/redactor.js';
import { describeSystemError, isSystemError } from '../errors/system-error.js';
import { EXIT, processIo, scrubbingIo, type Io } from './output.js';
import { reportFailure } from './report-failure.js';

/** The hidden command the completion scripts run: `kubemin __complete <words...>`. */
const COMPLETE = '__complete';

/** Runs the CLI and returns the exit code; only the bin entry calls process.exit. */
export async function runCli(argv: readonly string[], given: Io = processIo()): Promise<number> {
  const io = scrubbingIo(given, new Redactor());
  let code: number = EXIT.ok;
  const setExit = (c: number): void => {
    code = c;
  };
  const program = new Command('kubemin')
    .description('GitOps compiler for Kubernetes: kubemin.yaml -> validated, phased manifest bundles')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError(true);
  // Each command module holds what commander needs (name, arguments, options: for parsing and
  // --help) and imports what its action runs when it runs (await import), so that a command
  // loads only its own operation: `--version` loads no more than commander, and the compiler's
  // commands never the cluster client, git or the daemon (test/cli/lazy-imports.test.ts).
  for (const make of [
    validateCommand,
    renderCommand,
    planCommand,
    viewCommand,
    diffCommand,
    applyCommand,
    watchCommand,
    schemaCommand,
    pluginsCommand,
    initCommand,
    importCommand,
    promoteCommand,
    versionCommand,
    completionCommand,
  ]) {
    program.addCommand(make(io, setExit).exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }));
  }
  try {
    // The shells' completion scripts ask here (completion/scripts.ts): no command runs.
    if (argv[0] === COMPLETE) {
      const { complete } = await import('./completion/complete.js');
      // The specs are read only for an app or environment name, the kubeconfig only for a context.
      const names = async (paths: readonly string[]): Promise<SpecNames> =>
        (await import('../operations/spec-names.js')).specNames({ paths: paths.length ? paths : ['.'] });
      const contexts = async (kubeconfig: string | undefined): Promise<readonly string[]> =>
        (await import('../operations/kube-contexts.js')).kubeContexts({ kubeconfig });
      const lines = await complete(program, argv.slice(1), { names, contexts });
      io.stdout(lines.map((l) => `${l}\n`).join(''));
      return EXIT.ok;
    }
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    const failure = reportFailure(err, { debug: Boolean(process.env.KUBEMIN_DEBUG) });
    if (failure.text) io.stderr(failure.text);
    code = failure.exitCode;
  }
  // A write error is emitted after the write: let it arrive.
  if (given.outputFailure) await new Promise((resolve) => setImmediate(resolve));
  const failure = given.outputFailure?.();
  if (failure) {
    io.stderr(
      `kubemin: ${isSystemError(failure) ? describeSystemError({ ...failure, path: 'standard output' }) : `cannot write standard output: ${String(failure)}`}\n`,
    );
    return EXIT.error;
  }
  return code;
}
