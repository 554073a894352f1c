import type { ApplyOptions } from '../apply/apply-app.js';
import { applyApps } from '../apply/apply-apps.js';
import { planFromDiff } from '../apply/plan-from-diff.js';
import type { AppApplyResult, ApplyCommit, ApplyEvent } from '../apply/types.js';
import { Registry } from 'prom-client';
import { formatText } from '../diagnostics/format-text.js';
import { KubeminError } from '../errors/kubemin-error.js';
import { loadNotifyConfig } from '../notify/config.js';
import { createNotifier } from '../notify/create-notifier.js';
import { Notices } from '../notify/notices.js';
import { Redactor } from '../secrets/redactor.js';
import { commitOf } from './commit-of.js';
import { isBundleDir, readBundleDir } from '../files/bundle-dir/read-bundle-dir.js';
import type { ConnectOptions } from '../cluster/http-client.js';
import type { CompiledApp, CompileResult } from '../compile.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { diffApps } from '../cluster/diff-apps.js';
import { selectEnvironment } from '../environments/select-environment.js';
import { PluginResolver } from '../plugins/load-plugins.js';
import type { PluginSet } from '../plugins/plugin-set.js';
import { registerSecrets } from '../secrets/register-secrets.js';
import { clusterTargets, connectTargets } from './cluster-targets.js';
import { loadAndCompile, type LoadOptions } from './load-and-compile.js';

export interface ApplyRunOptions extends LoadOptions, ConnectOptions, Omit<ApplyOptions, 'concurrency'> {
  /** Server-side dry-run of every object: what would change, phase by phase; nothing is changed or waited for. */
  readonly dryRun?: boolean;
  /** Most apps applied at once (default 4; apps that share a namespace, or need a kind another defines, one after another). */
  readonly appConcurrency?: number;
  /** A notifications config (`--notify`): each app's apply start and end are told to its sinks. */
  readonly notify?: string;
  /** Where the notifier says what it could not deliver (the CLI's stderr). */
  readonly notifyLog?: (line: string) => void;
  /** Tests: the notifier's HTTP client. */
  readonly notifyFetch?: typeof fetch;
  /** The commit applied (`--commit`; default GITHUB_SHA, else HEAD of the checkout), for notifications and webhook steps. */
  readonly commitSha?: string;
}

export interface ApplyRunResult {
  /** Undefined when the input was a rendered bundle directory. */
  readonly compiled?: CompileResult;
  /** Undefined when the specs did not compile. */
  readonly apps?: AppApplyResult[];
  /** With `env`: the apps that have environments, but not that one (not applied). */
  readonly skipped: readonly string[];
  readonly requests: number;
}

interface Loaded {
  readonly compiled?: CompileResult;
  readonly apps?: CompiledApp[];
  readonly skipped: readonly string[];
  /** The plugins an app applies with: its step types' executors, its kinds' readiness rules. */
  readonly pluginsFor: (app: CompiledApp) => PluginSet;
}

/** Specs compiled in memory, or a rendered bundle directory read back (`kubemin render --out`), with `--env` and `--app` applied. */
async function loadApps(opts: ApplyRunOptions): Promise<Loaded> {
  const [only] = opts.paths;
  if (opts.paths.length === 1 && only !== undefined && (await isBundleDir(only))) {
    const read = await readBundleDir(only);
    registerSecrets(opts.secrets, [], read);
    // A rendered bundle's step types run with the plugins declared where kubemin runs.
    const plugins = await new PluginResolver().forDir(opts.cwd ?? process.cwd());
    const selected = selectEnvironment(read, opts.env);
    const apps = opts.app ? selected.apps.filter((a) => a.name === opts.app) : selected.apps;
    const skipped = opts.app ? selected.skipped.filter((a) => a === opts.app) : selected.skipped;
    return { apps, skipped, pluginsFor: () => plugins };
  }
  const compiled = await loadAndCompile(opts);
  const pluginsFor = (app: CompiledApp): PluginSet => compiled.pluginsFor(app.source.file);
  const valid = !hasErrors(compiled.diagnostics) && compiled.fileCount > 0;
  return { compiled, ...(valid ? { apps: compiled.apps } : {}), skipped: compiled.skipped, pluginsFor };
}

/**
 * `kubemin apply`: every app (independent apps at the same time: apply-apps.ts), phase by phase, each in its cluster (`--context`,
 * else its environment's, else the current context: cluster-targets.ts); or, with dryRun, what
 * would change.
 */
export async function apply(opts: ApplyRunOptions): Promise<ApplyRunResult> {
  // Every secret value met (the specs', the notifications config's) is masked in the notices too.
  const redactor = new Redactor();
  const secrets = {
    add: (v: string): void => {
      redactor.add(v);
      opts.secrets?.add(v);
    },
  };
  // A notifications config with a mistake stops the run before anything is applied.
  const notices = opts.notify === undefined ? undefined : loadApplyNotices(opts.notify, { ...opts, secrets }, redactor);
  const { compiled, apps, skipped, pluginsFor } = await loadApps({ ...opts, secrets });
  if (!apps) return { ...(compiled ? { compiled } : {}), skipped, requests: 0 };
  const commit =
    opts.commit ?? (notices || opts.commitSha || process.env.GITHUB_SHA ? await commitOf(opts.cwd ?? process.cwd(), opts.commitSha, process.env) : undefined);
  try {
    return await applyTo(
      apps,
      { ...opts, ...(commit ? { commit } : {}) },
      { compiled, skipped, pluginsFor },
      notices && { notices, commit: commit ?? { sha: '' } },
    );
  } finally {
    // Delivered before the command exits (for at most 10 s): a CI job's notices are not lost.
    await notices?.close(10_000);
  }
}

async function applyTo(
  apps: CompiledApp[],
  opts: ApplyRunOptions,
  { compiled, skipped, pluginsFor }: Omit<Loaded, 'apps'>,
  notify: { notices: Notices; commit: ApplyCommit } | undefined,
): Promise<ApplyRunResult> {
  const targets = clusterTargets(apps, { ...(opts.context !== undefined ? { context: opts.context } : {}), verb: 'apply' });
  const { clients, close } = await connectTargets(targets, opts);
  try {
    const clientOf = new Map(targets.flatMap((t, i) => t.apps.map((app) => [app, clients[i]!] as const)));
    const results: AppApplyResult[] = [];
    if (opts.dryRun) {
      const planned = new Map<CompiledApp, AppApplyResult>();
      for (const [i, target] of targets.entries()) {
        const diffs = await diffApps(target.apps, clients[i]!, opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {});
        target.apps.forEach((app, j) => planned.set(app, planFromDiff(app, diffs[j]!, { prune: opts.prune ?? false })));
      }
      results.push(...apps.map((app) => planned.get(app)!));
    } else {
      const { onEvent: show, ...rest } = opts;
      const onEvent = notify ? tell(notify.notices, notify.commit, show) : show;
      results.push(
        ...(await applyApps(apps, {
          clientOf: (app) => clientOf.get(app)!,
          optionsOf: (app) => ({ ...rest, executors: pluginsFor(app).executors, readinessRules: pluginsFor(app).readiness }),
          ...(opts.appConcurrency !== undefined ? { appConcurrency: opts.appConcurrency } : {}),
          ...(onEvent ? { onEvent } : {}),
        })),
      );
    }
    return { ...(compiled ? { compiled } : {}), apps: results, skipped, requests: clients.reduce((n, c) => n + c.requests, 0) };
  } finally {
    close();
  }
}

/** The apply's events, told to the notices as well: each app's start and end. */
function tell(notices: Notices, commit: ApplyCommit, next: ((e: ApplyEvent) => void) | undefined): (e: ApplyEvent) => void {
  return (e) => {
    if (e.type === 'app-start')
      notices.started(
        { app: e.app, ...(e.environment ? { environment: e.environment } : {}), namespace: e.namespace },
        new Date().toISOString(),
        commit,
        'cli',
      );
    else if (e.type === 'app-end') notices.ended(e.result, commit, 'cli');
    next?.(e);
  };
}

/** The notifications config of `--notify`, loaded and checked; its secrets join the run's. */
function loadApplyNotices(file: string, opts: ApplyRunOptions, redactor: Redactor): Notices {
  const { config, diagnostics } = loadNotifyConfig(file, { env: process.env });
  if (!config) throw new KubeminError(`--notify ${file}: the notifications config has problems:\n${formatText(diagnostics, undefined).trimEnd()}`);
  for (const s of config.secrets) opts.secrets?.add(s);
  const scrub = (t: string): string => redactor.scrub(t);
  const notifier = createNotifier(config, {
    registry: new Registry(),
    // What could not be delivered is said (warnings and errors); deliveries are not.
    log: (level, message, fields) => {
      if (level !== 'warn' && level !== 'error') return;
      const extra = Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => ` ${k}=${String(v)}`)
        .join('');
      opts.notifyLog?.(scrub(`kubemin apply: notify: ${message}${extra}\n`));
    },
    scrub,
    ...(opts.notifyFetch ? { fetch: opts.notifyFetch } : {}),
  });
  return new Notices(notifier, { scrub, webViewUrl: config.webViewUrl });
}
