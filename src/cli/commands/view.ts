import { Command } from 'commander';
import { envOption, reportSkipped } from '../env-option.js';
import { EXIT, formatDiagnostics, noSpecsFound, type Io } from '../output.js';

export function viewCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('view')
    .description("write one self-contained HTML page of every application's plan: its workflow as a graph, each phase's objects and their source lines")
    .argument('[paths...]', 'files or directories to search for specs', ['.'])
    .addOption(envOption('viewed as render --env writes it'))
    .option('--out <file>', 'the HTML file to write', 'kubemin-view.html')
    .option('--kubeconfig <file>', 'also compare with the cluster and show the live diff (as kubemin diff)')
    .option('--context <name>', "kubeconfig context for the live diff (default: the environment's cluster, else the current context)")
    .action(async (paths: string[], opts: { env?: string; out: string; kubeconfig?: string; context?: string }) => {
      const { view } = await import('../../operations/view.js');
      const { hasErrors } = await import('../../diagnostics/diagnostic.js');
      const live = opts.kubeconfig !== undefined || opts.context !== undefined;
      const { kubeconfig, context } = opts;
      const { compiled: result, written, apps } = await view({ paths, env: opts.env, out: opts.out, secrets: io.secrets, live, kubeconfig, context });
      if (result.diagnostics.length) io.stderr(formatDiagnostics('text', result.diagnostics, result.sources, io.color));
      reportSkipped(io, result.skipped, opts.env, 'viewed');
      if (result.fileCount === 0) io.stderr(`${noSpecsFound(paths)}\n`);
      if (hasErrors(result.diagnostics) || written === undefined) {
        setExit(EXIT.problems);
        return;
      }
      io.stdout(`wrote ${opts.out} (${apps === 1 ? '1 application' : `${apps} applications`})\n`);
      setExit(EXIT.ok);
    });
}
