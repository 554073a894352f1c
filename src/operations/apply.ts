import { applyApp, type ApplyOptions } from '../apply/apply-app.js';
import { planFromDiff } from '../apply/plan-from-diff.js';
import type { AppApplyResult } from '../apply/types.js';
import { isBundleDir, readBundleDir } from '../bundle/read-bundle-dir.js';
import { connect, type ConnectOptions } from '../cluster/http-client.js';
import type { CompiledApp, CompileResult } from '../compile.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { diffApps } from '../diff/diff-apps.js';
import type { StepExecutor } from '../apply/executors/types.js';
import { PluginResolver } from '../plugins/load-plugins.js';
import { registerSecrets } from '../secrets/register-secrets.js';
import { loadAndCompile, type LoadOptions } from './load-and-compile.js';

export interface ApplyRunOptions extends LoadOptions, ConnectOptions, Omit<ApplyOptions, 'concurrency'> {
  /** Server-side dry-run of every object: what would change, phase by phase; nothing is changed or waited for. */
  readonly dryRun?: boolean;
}

export interface ApplyRunResult {
  /** Undefined when the input was a rendered bundle directory. */
  readonly compiled?: CompileResult;
  /** Undefined when the specs did not compile. */
  readonly apps?: AppApplyResult[];
  readonly requests: number;
}

/** Specs compiled in memory, or a rendered bundle directory read back (`kubemin render --out`). */
async function loadApps(opts: ApplyRunOptions): Promise<{ compiled?: CompileResult; apps?: CompiledApp[]; executorsFor: (app: CompiledApp) => readonly StepExecutor[] }> {
  const [only] = opts.paths;
  if (opts.paths.length === 1 && only !== undefined && (await isBundleDir(only))) {
    const apps = await readBundleDir(only);
    registerSecrets(opts.secrets, [], apps);
    // A rendered bundle's step types run with the plugins declared where kubemin runs.
    const { executors } = await new PluginResolver().forDir(opts.cwd ?? process.cwd());
    return { apps: opts.app ? apps.filter((a) => a.name === opts.app) : apps, executorsFor: () => executors };
  }
  const compiled = await loadAndCompile(opts);
  const executorsFor = (app: CompiledApp): readonly StepExecutor[] => compiled.pluginsFor(app.source.file).executors;
  return hasErrors(compiled.diagnostics) || compiled.fileCount === 0 ? { compiled, executorsFor } : { compiled, apps: compiled.apps, executorsFor };
}

/** `kubemin apply`: every app, one after another, phase by phase; or, with dryRun, what would change. */
export async function apply(opts: ApplyRunOptions): Promise<ApplyRunResult> {
  const { compiled, apps, executorsFor } = await loadApps(opts);
  if (!apps) return { ...(compiled ? { compiled } : {}), requests: 0 };
  const client = await connect(opts);
  try {
    const results: AppApplyResult[] = [];
    if (opts.dryRun) {
      const diffs = await diffApps(apps, client, opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {});
      apps.forEach((app, i) => results.push(planFromDiff(app, diffs[i]!, { prune: opts.prune ?? false })));
    } else {
      for (const app of apps) results.push(await applyApp(app, client, { ...opts, executors: executorsFor(app) }));
    }
    return { ...(compiled ? { compiled } : {}), apps: results, requests: client.requests };
  } finally {
    client.close();
  }
}
