import { Command, Option } from 'commander';
import { closeSync, openSync } from 'node:fs';
import { DEFAULT_APP_CONCURRENCY, DEFAULT_LEASE_DURATION_MS, DEFAULT_LEASE_RENEW_MS } from '../../defaults.js';
import { formatDuration, parseDuration } from '../../k8s/formats/duration.js';
import type { DriftMode } from '../../watch/daemon.js';
import type { LogFormat } from '../../watch/logger.js';
import { EXIT, type Io } from '../output.js';
import { describeSystemError, isSystemError } from '../../errors/system-error.js';

interface WatchFlags {
  repo?: string;
  dir?: string;
  branch: string;
  env?: string;
  path: string;
  interval: string;
  statusBranch?: string;
  kubeconfig?: string;
  context?: string;
  listen?: string;
  webhookSecretFile?: string;
  webTokenFile?: string;
  webBasicAuthFile?: string;
  notify?: string;
  gitAuthor: string;
  gitTokenEnv?: string;
  gitTokenFile?: string;
  sshKeyFile?: string;
  workDir?: string;
  drift: DriftMode;
  prune: boolean;
  leaderElection: boolean;
  leaseNamespace?: string;
  leaseName?: string;
  leaseDuration: string;
  leaseRenew: string;
  identity?: string;
  appConcurrency: string;
  timeout?: string;
  pollInterval: string;
  logFormat: LogFormat;
  plugin: string[];
}

/** An environment's name, as the spec's schema has it. */
const ENV_NAME = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `Name <email>` */
function parseAuthor(text: string): { name: string; email: string } | undefined {
  const m = /^\s*(.+?)\s*<([^<>\s]+)>\s*$/.exec(text);
  return m ? { name: m[1]!, email: m[2]! } : undefined;
}

export function watchCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('watch')
    .description(
      'the GitOps daemon: follow a branch, apply every new commit phase by phase (with pruning), commit status reports back; or, with --dir, re-apply a working tree on save',
    )
    .addOption(new Option('--repo <url-or-path>', 'git repository to follow (https, ssh or a path)').conflicts('dir'))
    .option('--dir <path>', 'local mode: watch a working tree and re-apply when a spec file is saved')
    .option('--branch <name>', 'branch to follow', 'main')
    .addOption(
      new Option(
        '--env <name>',
        "the environment this daemon's cluster runs: each app's variant for it (spec.environments) and the apps without environments; status reports under .kubemin/status/<env>/ (default: every app and environment)",
      ).env('KUBEMIN_ENV'),
    )
    .option('--path <dir>', 'where the specs are in the repository', '.')
    .option('--interval <duration>', 'how often to fetch, and to check the cluster for drift', '30s')
    .option('--status-branch <name>', 'branch the status reports are committed to (default: the followed branch)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config; in a pod, its service account)')
    .option('--context <name>', 'kubeconfig context')
    .option(
      '--listen <addr>',
      'serve the web view (/: apps, workflows, history, jobs; read-only), /healthz, /readyz, /metrics and POST /hooks/git on host:port or :port',
    )
    .option('--webhook-secret-file <file>', "require GitHub's X-Hub-Signature-256 on /hooks/git, with the secret in this file")
    .option('--web-token-file <file>', 'the web view asks for Authorization: Bearer <the first line of this file>')
    .option('--web-basic-auth-file <file>', 'the web view asks for HTTP basic credentials: the first line of this file, user:password')
    .option('--notify <file>', 'tell people and systems of applies, drift and failed status pushes: a notifications config (README, "Notifications")')
    .option('--git-author <author>', 'author of status commits', 'kubemin <kubemin@localhost>')
    .option('--git-token-env <name>', 'https token from this environment variable')
    .option('--git-token-file <file>', 'https token from this file')
    .option('--ssh-key-file <file>', 'ssh private key for ssh repositories')
    .option('--work-dir <dir>', 'where the local clone is kept (default under ~/.cache/kubemin/watch/)')
    .addOption(
      new Option('--drift <mode>', 'live objects that drifted from the last apply: apply again, only report, or do not check')
        .choices(['apply', 'report', 'off'])
        .default('apply'),
    )
    .option('--no-prune', 'do not delete objects the specs no longer have')
    .option('--no-leader-election', 'apply without holding the Lease (only one replica may run)')
    .option(
      '--lease-namespace <ns>',
      "namespace of the leader-election Lease (default: the kubeconfig context's namespace; in a pod, the pod's own; else default)",
    )
    .option('--lease-name <name>', 'name of the leader-election Lease (default: kubemin-watch; with --env, kubemin-watch-<env>)')
    .option(
      '--lease-duration <duration>',
      'how long the lease lasts unless renewed: a replica takes over that long after the leader died',
      formatDuration(DEFAULT_LEASE_DURATION_MS),
    )
    .option('--lease-renew <duration>', 'how often the leader renews the lease', formatDuration(DEFAULT_LEASE_RENEW_MS))
    .option('--identity <id>', 'this replica in the Lease (default: hostname-pid)')
    .option('--app-concurrency <n>', 'apps applied at once', String(DEFAULT_APP_CONCURRENCY))
    .option('--timeout <duration>', "wait at most this long for each phase (default: the phase's timeout)")
    .option('--poll-interval <duration>', 'how often to look again after an API error, and at objects not ready when RBAC forbids watching them', '1s')
    .addOption(new Option('--log-format <format>', 'log lines as text or JSON').choices(['text', 'json']).default('text'))
    .option(
      '--plugin <package-or-path>',
      "a plugin installed with the daemon (an npm package or a path, from the working directory); repeatable. The repository's kubemin.config is never run",
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .action(async (opts: WatchFlags) => {
      const usage = (message: string): void => {
        io.stderr(`kubemin watch: ${message}\n`);
        setExit(EXIT.error);
      };
      if (!opts.repo && !opts.dir) return usage('give --repo URL (or --dir PATH for local mode)');
      // KUBEMIN_ENV= (empty) is no environment, so that a manifest can leave it blank.
      const env = opts.env === '' ? undefined : opts.env;
      if (env !== undefined && !ENV_NAME.test(env))
        return usage(
          `--env ${env}: an environment's name is an RFC 1123 label (lowercase letters, digits and '-', at most 63 characters), as spec.environments[].name`,
        );
      const author = parseAuthor(opts.gitAuthor);
      if (!author) return usage(`--git-author ${opts.gitAuthor}: write it as "Name <email>"`);
      const intervalMs = parseDuration(opts.interval);
      const pollMs = parseDuration(opts.pollInterval);
      const timeoutMs = opts.timeout === undefined ? undefined : parseDuration(opts.timeout);
      const appConcurrency = Number(opts.appConcurrency);
      const leaseDurationMs = parseDuration(opts.leaseDuration);
      const leaseRenewMs = parseDuration(opts.leaseRenew);
      if (!leaseDurationMs || !leaseRenewMs || leaseRenewMs >= leaseDurationMs)
        return usage('--lease-renew must be a positive duration shorter than --lease-duration');
      if (!intervalMs) return usage(`--interval ${opts.interval} is not a positive duration (e.g. 30s, 1m)`);
      if (!pollMs) return usage(`--poll-interval ${opts.pollInterval} is not a positive duration`);
      if (opts.timeout !== undefined && !timeoutMs) return usage(`--timeout ${opts.timeout} is not a positive duration`);
      if (!Number.isInteger(appConcurrency) || appConcurrency < 1) return usage(`--app-concurrency ${opts.appConcurrency} is not a whole number >= 1`);
      if (opts.webhookSecretFile && !opts.listen) return usage('--webhook-secret-file needs --listen: the webhook is served there');
      for (const [flag, file] of [
        ['--web-token-file', opts.webTokenFile],
        ['--web-basic-auth-file', opts.webBasicAuthFile],
      ] as const)
        if (file && !opts.listen) return usage(`${flag} needs --listen: the web view is served there`);
      // Files named on the command line are read later (some again and again): one that cannot be read now is a mistake now.
      for (const [flag, file] of [
        ['--webhook-secret-file', opts.webhookSecretFile],
        ['--web-token-file', opts.webTokenFile],
        ['--web-basic-auth-file', opts.webBasicAuthFile],
        ['--notify', opts.notify],
        ['--git-token-file', opts.gitTokenFile],
        ['--ssh-key-file', opts.sshKeyFile],
      ] as const) {
        const problem = file === undefined ? undefined : unreadable(file);
        if (problem) return usage(`${flag} ${problem}`);
      }

      const { watchRepo } = await import('../../operations/watch.js');
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      try {
        await watchRepo({
          ...(opts.repo ? { repo: opts.repo } : {}),
          ...(opts.dir ? { dir: opts.dir } : {}),
          branch: opts.branch,
          ...(env !== undefined ? { env } : {}),
          path: opts.path === '.' ? '' : opts.path.replace(/\/+$/, ''),
          ...(opts.statusBranch ? { statusBranch: opts.statusBranch } : {}),
          author,
          auth: {
            ...(opts.gitTokenEnv ? { tokenEnv: opts.gitTokenEnv } : {}),
            ...(opts.gitTokenFile ? { tokenFile: opts.gitTokenFile } : {}),
            ...(opts.sshKeyFile ? { sshKeyFile: opts.sshKeyFile } : {}),
          },
          ...(opts.workDir ? { workDir: opts.workDir } : {}),
          ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
          ...(opts.context ? { context: opts.context } : {}),
          intervalMs,
          ...(opts.listen ? { listen: opts.listen } : {}),
          ...(opts.webhookSecretFile ? { webhookSecretFile: opts.webhookSecretFile } : {}),
          ...(opts.webTokenFile ? { webTokenFile: opts.webTokenFile } : {}),
          ...(opts.webBasicAuthFile ? { webBasicAuthFile: opts.webBasicAuthFile } : {}),
          ...(opts.notify ? { notify: opts.notify } : {}),
          logFormat: opts.logFormat,
          drift: opts.drift,
          prune: opts.prune,
          appConcurrency,
          leaderElection: opts.leaderElection,
          ...(opts.leaseNamespace ? { leaseNamespace: opts.leaseNamespace } : {}),
          ...(opts.leaseName ? { leaseName: opts.leaseName } : {}),
          leaseDurationMs,
          leaseRenewMs,
          ...(opts.identity ? { identity: opts.identity } : {}),
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
          pollMs,
          signal: stop.signal,
          write: io.stderr,
          ...(opts.plugin.length ? { plugins: opts.plugin } : {}),
        });
      } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
    });
}

/** Why a file cannot be read (e.g. `cannot open x: no such file or directory (...)`), or undefined when it can. */
function unreadable(file: string): string | undefined {
  try {
    closeSync(openSync(file, 'r'));
    return undefined;
  } catch (err) {
    return isSystemError(err) ? describeSystemError(err) : String(err);
  }
}
