import { Command, Option } from 'commander';
import { envOption, reportSkipped } from '../env-option.js';
import { EXIT, formatDiagnostics, noSpecsFound, type Io } from '../output.js';
import { formatStructured, outputOption, type OutputFormat } from '../output-format.js';

export function planCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('plan')
    .description('show the phases each application is deployed in, and the objects of each phase')
    .argument('[paths...]', 'files or directories to search for specs', ['.'])
    .option('--app <name>', 'only this application')
    .addOption(envOption('planned as render --env writes it'))
    .addOption(outputOption(['text', 'json', 'yaml'] as const))
    .addOption(new Option('--format <format>', 'deprecated: use -o (tree is -o text)').choices(['tree', 'json']).hideHelp())
    .action(async (paths: string[], opts: { app?: string; env?: string; output: OutputFormat; format?: 'tree' | 'json' }) => {
      let output = opts.output;
      if (opts.format !== undefined) {
        io.stderr(`kubemin plan: --format is deprecated: use -o ${opts.format === 'tree' ? 'text' : opts.format}\n`);
        output = opts.format === 'tree' ? 'text' : opts.format;
      }
      const { plan } = await import('../../operations/plan.js');
      const { hasErrors } = await import('../../diagnostics/diagnostic.js');
      const { formatPlanTree } = await import('../../plan/format-plan.js');
      const { compiled: result, plans } = await plan({ paths, app: opts.app, env: opts.env, secrets: io.secrets });
      if (result.diagnostics.length) io.stderr(formatDiagnostics('text', result.diagnostics, result.sources, io.color));
      reportSkipped(io, result.skipped, opts.env, 'planned');
      if (result.fileCount === 0) io.stderr(`${noSpecsFound(paths)}\n`);
      if (hasErrors(result.diagnostics) || result.fileCount === 0) {
        setExit(EXIT.problems);
        return;
      }
      if (opts.app && !result.apps.length) {
        if (!result.skipped.length) io.stderr(`no application named "${opts.app}"\n`);
        setExit(EXIT.error);
        return;
      }
      io.stdout(output === 'text' ? formatPlanTree(plans) : formatStructured(output, plans));
      setExit(EXIT.ok);
    });
}
