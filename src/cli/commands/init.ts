import { Command, Option } from 'commander';
import type { Ask } from '../../init/ask.js';
import type { InitFlags } from '../../init/init-flags.js';
import { DIAGNOSTIC_FORMATS, EXIT, formatDiagnostics, type DiagnosticFormat, type Io } from '../output.js';

const EXAMPLE = 'kubemin init --yes --name shop --component web:webservice:nginx:1.27:8080';

interface InitCommandFlags extends InitFlags {
  readonly dir: string;
  readonly yes: boolean;
  readonly force: boolean;
  readonly format: DiagnosticFormat;
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
    .option('--force', 'replace an existing kubemin.yaml', false)
    .addOption(new Option('--format <format>', 'format of the problems').choices(DIAGNOSTIC_FORMATS).default('text'))
    .addHelpText('after', `\nExample:\n  ${EXAMPLE}\n`)
    .action(async (flags: InitCommandFlags) => {
      const { init } = await import('../../operations/init.js');
      const { outcome, diagnostics, sources } = await init({
        dir: flags.dir,
        flags,
        yes: flags.yes,
        force: flags.force,
        openPrompt: interactive() ? openPrompt : undefined,
      });
      const text = flags.format === 'text';
      const cancelled = outcome.kind === 'refused' && outcome.message !== undefined;
      if (diagnostics.length || (!text && !cancelled)) (text ? io.stderr : io.stdout)(formatDiagnostics(flags.format, diagnostics, sources, io.color));
      switch (outcome.kind) {
        case 'written':
          (text ? io.stdout : io.stderr)(
            `wrote ${outcome.file}: application ${outcome.answers.name}, ${outcome.answers.components.length} component(s), ${outcome.phases} phase(s)\n` +
              `next: kubemin plan ${flags.dir} shows the phases; kubemin render ${flags.dir} --out rendered writes the manifests\n`,
          );
          return setExit(EXIT.ok);
        case 'refused':
          if (outcome.message) io.stderr(`${outcome.message}\n`);
          return setExit(outcome.reason === 'not-compiled' ? EXIT.problems : outcome.reason === 'interrupted' ? EXIT.interrupted : EXIT.error);
      }
    });
}
