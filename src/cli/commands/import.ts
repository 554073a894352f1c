import { Command, Option } from 'commander';
import { DIAGNOSTIC_FORMATS, EXIT, formatDiagnostics, type DiagnosticFormat, type Io } from '../output.js';

interface ImportFlags {
  readonly out?: string;
  /** The output file before --out: kept as a deprecated alias. */
  readonly output?: string;
  readonly format: DiagnosticFormat;
}

/**
 * `kubemin import <tool> <file>`: converts an application written for another tool into a
 * kubemin.yaml. One subcommand per tool; today KubeMin-Cli.
 */
export function importCommand(io: Io, setExit: (code: number) => void): Command {
  const kubeminCli = new Command('kubemin-cli')
    .description('convert a KubeMin-Cli application (the JSON body of its REST API) into a kubemin.yaml')
    .argument('<file>', 'the KubeMin-Cli application, as JSON')
    .option('--out <file>', 'write the kubemin.yaml to this file (replaced atomically), and .kubemin/schema.json for editors, instead of printing it')
    .addOption(new Option('--format <format>', 'format of the problems').choices(DIAGNOSTIC_FORMATS).default('text'))
    .addOption(new Option('-o, --output <file>').hideHelp())
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .action(async (file: string, flags: ImportFlags) => setExit(await importKubeminCli(io, file, flags)));
  return new Command('import')
    .description('convert an application written for another tool into a kubemin.yaml')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .addCommand(kubeminCli);
}

/**
 * Converts, reports, writes or prints; returns the exit code. Problems go to stderr as text; as
 * json or github they go to stdout, unless the spec goes there (no --out).
 */
async function importKubeminCli(io: Io, file: string, flags: ImportFlags): Promise<number> {
  const { importKubeminCliFile } = await import('../../operations/import.js');
  if (flags.output !== undefined) io.stderr(`kubemin import: -o ${flags.output} as the output file is deprecated: use --out ${flags.output}\n`);
  const out = flags.out ?? flags.output;
  const { outcome, diagnostics, sources } = await importKubeminCliFile({ file, out, secrets: io.secrets });
  const text = flags.format === 'text';
  const problems = text || outcome.kind === 'stream' ? io.stderr : io.stdout;
  if (diagnostics.length || !text) problems(formatDiagnostics(flags.format, diagnostics, sources, io.color));
  switch (outcome.kind) {
    case 'unreadable':
      return EXIT.error;
    case 'invalid':
      if (text) io.stderr(`${file}: not converted: nothing was written\n`);
      return EXIT.problems;
    case 'not-written':
      return EXIT.error;
    case 'stream':
      (io.product ?? io.stdout)(outcome.spec);
      if (text) io.stderr(`${file}: converted; the spec's schema comment names ${outcome.schemaRef}, which --out writes beside the spec\n`);
      return EXIT.ok;
    case 'written':
      if (text) io.stderr(`${file}: imported into ${outcome.out}, with ${outcome.schemaFile} for editors\n`);
      return EXIT.ok;
  }
}
