import { Command } from 'commander';
import { envOption } from '../env-option.js';
import { EXIT, reportLoaded, type Io } from '../output.js';
import { formatStructured, outputOption } from '../output-format.js';

type DiffOutput = 'text' | 'markdown' | 'json' | 'yaml';

interface DiffFlags {
  kubeconfig?: string;
  context?: string;
  app?: string;
  env?: string;
  output: DiffOutput;
}

export function diffCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('diff')
    .description('show what applying the bundle would change in the cluster (server-side apply dry-run); exit 0 no differences, 1 differences, 2 error')
    .argument('[paths...]', 'files or directories to search for specs', ['.'])
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', "kubeconfig context (default: the environment's cluster, else the current context)")
    .option('--app <name>', 'only this application')
    .addOption(envOption('compared in its cluster'))
    .addOption(outputOption(['text', 'markdown', 'json', 'yaml'] as const))
    .action(async (paths: string[], opts: DiffFlags) => {
      const { diff } = await import('../../operations/diff.js');
      const { formatDiffJson } = await import('../../diff/format-json.js');
      const { formatDiffMarkdown } = await import('../../diff/format-markdown.js');
      const { formatDiffProblems, formatDiffText } = await import('../../diff/format-text.js');
      const { hasChanges, summarize } = await import('../../diff/types.js');
      const { diffProgress } = await import('../diff-progress.js');
      const progress = diffProgress(io);
      let result;
      try {
        result = await diff({
          paths,
          app: opts.app,
          env: opts.env,
          kubeconfig: opts.kubeconfig,
          context: opts.context,
          secrets: io.secrets,
          onProgress: progress.onProgress,
        });
      } finally {
        progress.stop();
      }
      if (!reportLoaded(io, setExit, result, { app: opts.app, verb: 'compared', paths, env: opts.env, skipped: result.compiled.skipped })) return;
      switch (opts.output) {
        case 'text':
          io.stdout(formatDiffText(result.apps, { color: io.stdoutColor ?? false }));
          break;
        case 'markdown':
          io.stdout(formatDiffMarkdown(result.apps));
          break;
        case 'json':
          io.stdout(formatDiffJson(result.apps));
          break;
        case 'yaml':
          io.stdout(formatStructured('yaml', JSON.parse(formatDiffJson(result.apps))));
          break;
        default: {
          const never: never = opts.output;
          throw new Error(`unknown output ${String(never)}`);
        }
      }
      io.stderr(formatDiffProblems(result.apps));
      const summary = summarize(result.apps);
      setExit(summary.errors ? EXIT.error : hasChanges(summary) ? EXIT.problems : EXIT.ok);
    });
}
