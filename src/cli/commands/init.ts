import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { InitAnswers } from '../../init/answers.js';
import type { Ask } from '../../init/ask.js';
import type { InitFlags } from '../../init/init-flags.js';
import { EXIT, formatDiagnostics, type Io } from '../output.js';

/** Exit code of a command stopped by Ctrl-C, as shells report SIGINT. */
const EXIT_INTERRUPTED = 130;
const SPEC_FILE = 'kubemin.yaml';
const EXAMPLE = 'kubemin init --yes --name shop --component web:webservice:nginx:1.27:8080';

interface InitCommandFlags extends InitFlags {
  readonly dir: string;
  readonly yes: boolean;
  readonly force: boolean;
}

/** What the command takes from the process; tests replace it. */
export interface InitDeps {
  /** Whether questions can be asked (stdin is a terminal). */
  readonly interactive?: () => boolean;
  readonly openPrompt?: () => (Ask & { close(): void }) | Promise<Ask & { close(): void }>;
}

const processDeps: Required<InitDeps> = {
  interactive: () => Boolean(process.stdin.isTTY),
  openPrompt: async () => (await import('../../init/tty-prompt.js')).createTtyPrompt({ input: process.stdin, output: process.stdout }),
};

export function initCommand(io: Io, setExit: (code: number) => void, deps: InitDeps = {}): Command {
  const { interactive, openPrompt } = { ...processDeps, ...deps };
  return new Command('init')
    .description('write a new kubemin.yaml: asks for the app and its components (or takes them from flags with --yes)')
    .option('--dir <dir>', 'directory of the new kubemin.yaml (created if missing)', '.')
    .option('-y, --yes', 'ask nothing: take the answers from the flags, defaults for the rest', false)
    .option('--name <name>', 'application name (default: the directory name)')
    .option('--namespace <namespace>', 'namespace (default: the application name)')
    .option('--create-namespace', 'emit the Namespace (default with --yes: no)')
    .option('--no-create-namespace', 'do not emit the Namespace')
    .option(
      '--component <name:type[:image[:port]]>',
      'a component, in deploy order (repeatable); port 8080 unless given, a cronjob runs @daily',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--parallel <n>', 'deploy the last n components together, in one parallel step (default 0: each after the one before)')
    .option('--force', `replace an existing ${SPEC_FILE}`, false)
    .addHelpText('after', `\nExample:\n  ${EXAMPLE}\n`)
    .action(async (flags: InitCommandFlags) => {
      const { askInit } = await import('../../init/ask-init.js');
      const { InitCancelled } = await import('../../init/ask.js');
      const { completeWithDefaults, readInitFlags } = await import('../../init/init-flags.js');
      const { defaultNameFor, planInit } = await import('../../init/plan-init.js');
      const { schemaRefForDir } = await import('../../init/schema-ref.js');
      const { SpecFileExistsError, writeSpecFile } = await import('../../init/write-spec-file.js');
      const { builtinRegistry } = await import('../../plugins/registry.js');
      const file = join(flags.dir, SPEC_FILE);
      const fail = (message: string, code: number = EXIT.error): void => {
        io.stderr(`${message}\n`);
        setExit(code);
      };
      if (!flags.force && existsSync(file)) return fail(new SpecFileExistsError(file).message);
      const read = readInitFlags(flags, builtinRegistry);
      if (read.errors.length) return fail(read.errors.join('\n'));

      const defaultName = defaultNameFor(flags.dir);
      let answers: InitAnswers;
      if (flags.yes) {
        const completed = completeWithDefaults(read.given, { ...(defaultName ? { defaultName } : {}), registry: builtinRegistry });
        if (completed.errors) return fail(completed.errors.join('\n'));
        answers = completed.answers;
      } else {
        if (!interactive()) return fail(`stdin is not a terminal, so init cannot ask: give the answers as flags with --yes, e.g.\n  ${EXAMPLE}`);
        const prompt = await openPrompt();
        try {
          answers = await askInit(prompt, { registry: builtinRegistry, given: read.given, ...(defaultName ? { defaultName } : {}) });
        } catch (err) {
          if (!(err instanceof InitCancelled)) throw err;
          return fail(`${err.message}: nothing was written`, err.reason === 'interrupt' ? EXIT_INTERRUPTED : EXIT.error);
        } finally {
          prompt.close();
        }
      }

      const plan = planInit(answers, { file, schemaRef: schemaRefForDir(flags.dir), registry: builtinRegistry });
      const { compiled } = plan;
      if (compiled.diagnostics.length) io.stderr(formatDiagnostics('text', compiled.diagnostics, compiled.sources, io.color));
      if (!plan.ok) return fail('the new spec does not compile (a bug in kubemin init): nothing was written', EXIT.problems);
      try {
        await writeSpecFile(file, plan.text, { force: flags.force });
      } catch (err) {
        if (err instanceof SpecFileExistsError) return fail(err.message);
        if ((err as NodeJS.ErrnoException).code) return fail(`cannot write ${file}: ${(err as Error).message}`);
        throw err;
      }
      const phases = compiled.apps[0]?.phases.length ?? 0;
      io.stdout(
        `wrote ${file}: application ${answers.name}, ${answers.components.length} component(s), ${phases} phase(s)\n` +
          `next: kubemin plan ${flags.dir} shows the phases; kubemin render ${flags.dir} --out rendered writes the manifests\n`,
      );
      setExit(EXIT.ok);
    });
}
