import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { systemClock, type Clock } from '../apply/clock.js';
import { connectTo, type ConnectOptions } from '../cluster/http-client.js';
import { loadKubeconfig } from '../cluster/kubeconfig.js';
import { KubeminError } from '../errors/kubemin-error.js';
import { describeSystemError, isSystemError } from '../errors/system-error.js';
import { DEFAULT_LEASE_DURATION_MS, DEFAULT_LEASE_RENEW_MS } from '../defaults.js';
import { loadInstalledPlugins } from '../plugins/load-plugins.js';
import { noticeRepoPluginConfigs } from '../plugins/repo-config-notice.js';
import { Watcher, type DriftMode, type WatchEvent } from '../watch/daemon.js';
import { DirSource } from '../watch/dir-source.js';
import { GitRepo, type GitAuth } from '../watch/git/repo.js';
import { GitSource } from '../watch/git-source.js';
import { startWatchServer } from '../watch/http-server.js';
import { readJobs } from '../watch/web/read-jobs.js';
import { readWebAuth, type WebAuth } from '../watch/web/web-auth.js';
import { WebView } from '../watch/web/web-view.js';
import { NotifyFeed } from '../watch/notify-feed.js';
import { loadNotifyConfig } from '../notify/config.js';
import { createNotifier } from '../notify/create-notifier.js';
import { Notices } from '../notify/notices.js';
import { formatText } from '../diagnostics/format-text.js';
import { jobRows } from '../dashboard/jobs-model.js';
import { jobsPage } from '../dashboard/jobs-page.js';
import { RefusedLists } from '../cluster/live-objects.js';
import type { ClusterClient } from '../cluster/types.js';
import { DEFAULT_LEASE_NAME, LeaderElector } from '../watch/leader/leader-election.js';
import { createLogger, type LogFormat, type Logger } from '../watch/logger.js';
import { Redactor } from '../secrets/redactor.js';
import { WatchMetrics } from '../watch/metrics.js';
import type { WatchSource } from '../watch/source.js';
import { WatchScope, type DaemonCluster } from '../watch/watch-scope.js';

export interface WatchRunOptions extends ConnectOptions {
  /** A git repository (URL or path) to follow; or, for development, `dir`. */
  readonly repo?: string;
  readonly dir?: string;
  readonly branch: string;
  /**
   * The environment this daemon deploys (`--env`): its variants and the apps without
   * environments, with status reports under `.kubemin/status/<env>/`. Default: every app and variant.
   */
  readonly env?: string;
  /** Where the specs are in the repository ('' for all of it). */
  readonly path: string;
  readonly statusBranch?: string;
  readonly author: { readonly name: string; readonly email: string };
  readonly auth: GitAuth;
  /** The local clone (default: under ~/.cache/kubemin/watch/). */
  readonly workDir?: string;
  readonly intervalMs: number;
  readonly listen?: string;
  readonly webhookSecretFile?: string;
  /** Credentials the web view asks for (see web-auth.ts); without them it is open. */
  readonly webTokenFile?: string;
  readonly webBasicAuthFile?: string;
  /** A notifications config (`--notify`): who is told of applies, drift and failed status pushes. */
  readonly notify?: string;
  /** Tests: the notifier's HTTP client. */
  readonly notifyFetch?: typeof fetch;
  readonly logFormat: LogFormat;
  readonly drift: DriftMode;
  readonly prune: boolean;
  readonly appConcurrency: number;
  /** Leader election through a Lease; off in local mode. */
  readonly leaderElection: boolean;
  /** Default: the kubeconfig context's namespace; in a pod without a kubeconfig, the pod's own; else `default`. */
  readonly leaseNamespace?: string;
  /** Default: `kubemin-watch`, with `--env` `kubemin-watch-<env>` (the daemons of two environments in one cluster never share a Lease). */
  readonly leaseName?: string;
  /** How long a lease lasts without renewal, and how often the leader renews it (defaults: DEFAULT_LEASE_DURATION_MS and DEFAULT_LEASE_RENEW_MS). */
  readonly leaseDurationMs?: number;
  readonly leaseRenewMs?: number;
  readonly identity?: string;
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  readonly signal: AbortSignal;
  /** Where log lines go (stderr in the CLI). */
  readonly write: (line: string) => void;
  readonly onEvent?: (e: WatchEvent) => void;
  /** Told the server's URL once it listens (for tests and the benchmark). */
  readonly onListening?: (url: string) => void;
  readonly clock?: Clock;
  /** Plugins installed with the daemon (`--plugin`: npm packages or paths, from the working directory); a repository's own config is never run. */
  readonly plugins?: readonly string[];
}

/** One clone per repository, branch and environment: two daemons on one machine never share one. */
function defaultWorkDir(url: string, branch: string, env: string | undefined): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const id = env === undefined ? `${url}\0${branch}` : `${url}\0${branch}\0${env}`;
  return join(base, 'kubemin', 'watch', createHash('sha256').update(id).digest('hex').slice(0, 16));
}

/** The Lease of the daemons of one environment: `kubemin-watch`, or `kubemin-watch-<env>`. */
export function defaultLeaseName(env: string | undefined): string {
  return env === undefined ? DEFAULT_LEASE_NAME : `${DEFAULT_LEASE_NAME}-${env}`;
}

/** `kubemin watch`: the daemon, wired up, until `signal` aborts (SIGTERM): then it stops cleanly. */
export async function watchRepo(opts: WatchRunOptions): Promise<void> {
  const clock = opts.clock ?? systemClock;
  // Every log line and status report is scrubbed of the secret values of the revisions seen.
  const redactor = new Redactor();
  const log = createLogger({ format: opts.logFormat, write: (line) => opts.write(redactor.scrub(line)) });
  const metrics = new WatchMetrics();
  // Read first: a notifications config with a mistake stops the daemon at once, with its file:line:col.
  const notices = opts.notify === undefined ? undefined : loadNotices(opts.notify, { redactor, metrics, log, env: opts.env, fetch: opts.notifyFetch });
  // Loaded before anything else: a plugin that is missing or fails to load stops the daemon at once.
  const plugins = loadInstalledPlugins(opts.plugins ?? [], process.cwd());
  if (opts.plugins?.length)
    log.log('info', 'plugins', {
      loaded: plugins.set.plugins
        .slice(1)
        .map((p) => `${p.plugin.name} (${p.source})`)
        .join(', '),
    });
  const kube = loadKubeconfig(opts);
  const client = await connectTo(kube, opts);
  const leaseNamespace = opts.leaseNamespace ?? kube.namespace ?? 'default';
  const leaseName = opts.leaseName ?? defaultLeaseName(opts.env);
  // The daemon applies to this cluster, whatever cluster an environment names (see WatchScope.notices).
  const cluster: DaemonCluster = { context: kube.context, source: kube.inCluster ? 'in-cluster' : opts.context ? 'flag' : 'current-context' };
  // Closed last: the final status reports' notices are delivered (for at most 5 s) before the daemon exits.
  const closers: Array<() => Promise<void> | void> = [() => notices?.close(5000), () => plugins.close(), () => client.close()];
  const ignoredConfigs = (revision: string, configs: string[]): void =>
    log.log('warn', "the repository's plugin config is not run: the daemon runs only plugins installed with it (kubemin watch --plugin <package-or-path>)", {
      revision: revision.slice(0, 12),
      configs: configs.join(','),
    });
  try {
    let source: WatchSource;
    let dirSource: DirSource | undefined;
    if (opts.dir !== undefined) {
      dirSource = new DirSource(opts.dir, plugins.set.registry);
      source = noticeRepoPluginConfigs(dirSource, async (_revision, path) => existsSync(resolve(path)), ignoredConfigs);
    } else {
      if (!opts.repo) throw new Error('kubemin watch needs --repo URL (or --dir PATH for local mode)');
      const statusBranch = opts.statusBranch ?? opts.branch;
      const repo = await GitRepo.open({
        url: opts.repo,
        branch: opts.branch,
        statusBranch,
        workDir: opts.workDir ?? defaultWorkDir(opts.repo, opts.branch, opts.env),
        author: opts.author,
        auth: opts.auth,
      });
      source = noticeRepoPluginConfigs(
        new GitSource(repo, { url: repo.url, branch: opts.branch, path: opts.path }),
        async (revision, path) => (await repo.readFile(revision, path)) !== undefined,
        ignoredConfigs,
      );
    }
    const elect = opts.leaderElection && opts.dir === undefined;
    let elector: LeaderElector | undefined;
    // On standby, a replica compiles nothing: its page says who applies.
    const standby = (): string | undefined => {
      if (!elector || elector.isLeader()) return undefined;
      const holder = elector.holder();
      return holder
        ? `This replica is on standby: ${holder} holds the lease and applies; its page shows the apps as they are now.`
        : 'This replica is on standby: no replica holds the lease yet.';
    };
    const notifyFeed = notices ? new NotifyFeed(notices, () => clock.now()) : undefined;
    const web = opts.listen === undefined ? undefined : webView(opts, { source, client, redactor, clock, log, standby });
    const watcher = new Watcher({
      source,
      client,
      log,
      metrics,
      clock,
      intervalMs: opts.intervalMs,
      appConcurrency: opts.appConcurrency,
      prune: opts.prune,
      drift: opts.drift,
      isLeader: () => !elector || elector.isLeader(),
      apply: {
        executors: plugins.set.executors,
        readinessRules: plugins.set.readiness,
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
        ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}),
      },
      registry: plugins.set.registry,
      redactor,
      scope: new WatchScope(opts.env, cluster),
      onEvent: (e) => {
        web?.feed(e);
        notifyFeed?.feed(e);
        opts.onEvent?.(e);
      },
    });
    if (elect) {
      const identity = opts.identity ?? `${hostname()}-${process.pid}`;
      elector = new LeaderElector({
        client,
        namespace: leaseNamespace,
        name: leaseName,
        identity,
        leaseDurationMs: opts.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS,
        renewIntervalMs: opts.leaseRenewMs ?? DEFAULT_LEASE_RENEW_MS,
        clock,
        onStartedLeading: () => {
          log.log('info', 'leading: this replica applies', { identity, lease: `${leaseNamespace}/${leaseName}` });
          metrics.leader.set(1);
          watcher.reset();
          web?.refresh();
        },
        onStoppedLeading: () => {
          log.log('warn', 'lost the lease: another replica applies now', { identity });
          metrics.leader.set(0);
          watcher.interrupt();
          web?.refresh();
        },
        log: (level, message, fields) => log.log(level, message, fields as never),
      });
      const electing = elector.run(opts.signal);
      closers.push(async () => {
        await electing.catch(() => undefined);
        await elector!.release().catch(() => undefined);
      });
    }
    /** Why /readyz says no: the Lease cannot be used (its namespace is missing...), or nothing was fetched yet. */
    const notReady = (): string | undefined => {
      const problem = elector && !elector.isLeader() ? elector.problem() : undefined;
      if (problem) return problem.message;
      return watcher.isReady() ? undefined : 'the repository has not been fetched yet';
    };
    if (opts.listen !== undefined) {
      const webhookSecret = opts.webhookSecretFile ? readWebhookSecret(opts.webhookSecretFile) : undefined;
      const server = await startWatchServer({
        listen: opts.listen,
        metrics,
        notReady: () => notReady(),
        onHook: () => watcher.trigger(),
        log,
        ...(webhookSecret !== undefined ? { webhookSecret } : {}),
        ...(web ? { web } : {}),
      });
      closers.push(() => server.close());
      // Closed first (closers run last to first): the server's close waits for the open event streams to end.
      if (web) closers.push(() => web.close());
      opts.onListening?.(server.url);
      log.log('info', 'listening', { url: server.url });
    }
    if (dirSource) {
      const files = dirSource.watch(() => watcher.trigger());
      await files.ready;
      closers.push(() => files.close());
    }
    log.log('info', 'watching', {
      source: source.description,
      ...(opts.env ? { environment: opts.env } : {}),
      context: cluster.source === 'in-cluster' ? 'in-cluster' : cluster.context,
      interval: `${opts.intervalMs}ms`,
      drift: opts.drift,
      prune: opts.prune,
      leaderElection: elect,
      ...(elect ? { lease: `${leaseNamespace}/${leaseName}` } : {}),
    });
    await watcher.run(opts.signal);
    log.log('info', 'stopped');
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

/** The webhook's secret; a file that cannot be read is the user's to fix (one line naming the flag and the file), its error kept as the cause. */
function readWebhookSecret(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    const why = isSystemError(err) ? describeSystemError({ ...err, path: file }) : `cannot read ${file}`;
    throw new KubeminError(`--webhook-secret-file: ${why}`, { cause: err });
  }
}

/** The web view served with --listen: its pages read the daemon's events, the source's history and commits, and the cluster's Jobs. */
function webView(
  opts: WatchRunOptions,
  parts: { source: WatchSource; client: ClusterClient; redactor: Redactor; clock: Clock; log: Logger; standby: () => string | undefined },
): WebView {
  const { source, client, redactor, clock, log, standby } = parts;
  let auth: WebAuth | undefined;
  try {
    auth = readWebAuth({ tokenFile: opts.webTokenFile, basicAuthFile: opts.webBasicAuthFile });
  } catch (err) {
    const why = isSystemError(err) ? describeSystemError(err) : (err as Error).message;
    throw new KubeminError(why, { cause: err });
  }
  // LISTs that RBAC refused are not sent again on every load of the Jobs page.
  const refused = new RefusedLists();
  return new WebView({
    scrub: (t) => redactor.scrub(t),
    scrubJson: (v) => redactor.scrubJson(v),
    revisionInfo: (sha) => source.revisionInfo(sha),
    history: (key, limit) => source.statusHistory(key, limit),
    jobs: async (entries) => {
      const apps = entries.map((e) => ({ key: e.key, app: e.app, namespace: e.namespace, ...(e.environment ? { environment: e.environment } : {}) }));
      const read = await readJobs(client, apps, { refused });
      return jobsPage(jobRows({ apps, ...read }, clock.now()), { problems: read.problems });
    },
    ...(auth ? { auth } : {}),
    standby,
    clock,
    log,
    footer: `kubemin watch: ${source.description}${opts.env ? `, environment ${opts.env}` : ''}. Read-only.`,
  });
}

/** The notifications config, loaded and checked (its secrets registered with the redactor), as Notices on the daemon's metrics. */
function loadNotices(
  file: string,
  parts: { redactor: Redactor; metrics: WatchMetrics; log: Logger; env: string | undefined; fetch: typeof fetch | undefined },
): Notices {
  const { config, diagnostics } = loadNotifyConfig(file, { env: process.env });
  if (!config) throw new KubeminError(`--notify ${file}: the notifications config has problems:\n${formatText(diagnostics, undefined).trimEnd()}`);
  parts.redactor.addAll(config.secrets);
  const notifier = createNotifier(config, {
    registry: parts.metrics.registry,
    log: (level, message, fields) => parts.log.log(level, `notify: ${message}`, fields),
    scrub: (t) => parts.redactor.scrub(t),
    ...(parts.fetch ? { fetch: parts.fetch } : {}),
  });
  return new Notices(notifier, { scrub: (t) => parts.redactor.scrub(t), webViewUrl: config.webViewUrl, environment: parts.env });
}
