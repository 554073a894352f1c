import { Command } from 'commander';
import { parseDuration } from '../../k8s/formats/duration.js';
import { envOption } from '../env-option.js';
import { EXIT, reportLoaded, type Io } from '../output.js';
import { formatStructured, OUTPUT_FORMATS, outputOption } from '../output-format.js';

type ApplyOutput = 'text' | 'json' | 'yaml';

interface ApplyFlags {
  kubeconfig?: string;
  context?: string;
  app?: string;
  env?: string;
  prune?: boolean;
  dryRun?: boolean;
  timeout?: string;
  forceConflicts?: boolean;
  skipPreflight?: boolean;
  pollInterval: string;
  notify?: string;
  commit?: string;
  output: ApplyOutput;
}

/** Ctrl-C (or SIGTERM) stops the apply cleanly once; a second one kills as usual. */
function interruptible(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const stop = (): void => {
    release();
    controller.abort();
  };
  const release = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return { signal: controller.signal, release };
}

export function applyCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('apply')
    .description('apply the bundle phase by phase, waiting for each phase to be ready; exit 0 applied and ready, 1 a phase failed or timed out, 2 error')
    .argument('[paths...]', 'spec files or directories, or one rendered bundle directory (kubemin render --out)', ['.'])
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', "kubeconfig context (default: the environment's cluster, else the current context)")
    .option('--app <name>', 'only this application')
    .addOption(envOption('applied in its cluster'))
    .option('--prune', 'after the last phase, delete what kubemin applied before and the bundle no longer has')
    .option('--dry-run', 'server-side dry-run: show what each phase would change, change nothing')
    .option('--timeout <duration>', "wait at most this long for each phase (default: the phase's timeout from the spec, else 5m)")
    .option('--force-conflicts', 'take over fields owned by other field managers instead of failing')
    .option('--skip-preflight', 'do not check GPUs before phases that ask for them')
    .option('--poll-interval <duration>', 'how often to look again after an API error, and at objects not ready when RBAC forbids watching them', '1s')
    .option('--notify <file>', 'tell people and systems when each app starts and ends: a notifications config (README, "Notifications")')
    .option('--commit <sha>', 'the commit applied, for notifications and webhook steps (default: GITHUB_SHA, else HEAD of the checkout)')
    .addOption(outputOption(OUTPUT_FORMATS))
    .action(async (paths: string[], opts: ApplyFlags) => {
      const timeoutMs = opts.timeout === undefined ? undefined : parseDuration(opts.timeout);
      if (opts.timeout !== undefined && timeoutMs === undefined) {
        io.stderr(`kubemin apply: --timeout ${opts.timeout} is not a duration (e.g. 90s, 5m, 1h)\n`);
        setExit(EXIT.error);
        return;
      }
      const pollMs = parseDuration(opts.pollInterval);
      if (!pollMs) {
        io.stderr(`kubemin apply: --poll-interval ${opts.pollInterval} is not a positive duration (e.g. 500ms, 2s)\n`);
        setExit(EXIT.error);
        return;
      }
      const { apply } = await import('../../operations/apply.js');
      const { formatApplyText } = await import('../../apply/format-text.js');
      const { applyProgress } = await import('../apply-progress.js');
      const showProgress = opts.output === 'text' && !opts.dryRun;
      const progress = showProgress ? applyProgress(io) : undefined;
      const { signal, release } = interruptible();
      let result;
      try {
        result = await apply({
          paths,
          ...(opts.app ? { app: opts.app } : {}),
          ...(opts.env !== undefined ? { env: opts.env } : {}),
          ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
          ...(opts.context ? { context: opts.context } : {}),
          prune: opts.prune ?? false,
          dryRun: opts.dryRun ?? false,
          forceConflicts: opts.forceConflicts ?? false,
          skipPreflight: opts.skipPreflight ?? false,
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
          pollMs,
          signal,
          ...(progress ? { onEvent: progress.onEvent } : {}),
          ...(io.secrets ? { secrets: io.secrets } : {}),
          ...(opts.notify ? { notify: opts.notify, notifyLog: io.stderr } : {}),
          ...(opts.commit ? { commitSha: opts.commit } : {}),
        });
      } finally {
        progress?.stop();
        release();
      }
      if (!reportLoaded(io, setExit, result, { app: opts.app, verb: 'applied', paths, env: opts.env, skipped: result.skipped })) return;
      if (opts.output !== 'text') io.stdout(formatStructured(opts.output, { apps: result.apps }));
      else if (!showProgress) io.stdout(formatApplyText(result.apps, { color: io.stdoutColor ?? false }));
      const ok = result.apps.every((a) => a.outcome === 'applied' || a.outcome === 'planned');
      setExit(ok ? EXIT.ok : EXIT.problems);
    });
}
