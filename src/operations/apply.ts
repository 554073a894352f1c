import type { ApplyOptions } from '../apply/apply-app.js';
import { applyApps } from '../apply/apply-apps.js';
import { planFromDiff } from '../apply/plan-from-diff.js';
import type { AppApplyResult } from '../apply/types.js';
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
  const { compiled, apps, skipped, pluginsFor } = await loadApps(opts);
  if (!apps) return { ...(compiled ? { compiled } : {}), skipped, requests: 0 };
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
      const { onEvent, ...rest } = opts;
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
