import type { ConnectOptions } from '../cluster/http-client.js';
import type { CompiledApp } from '../compile.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { diffApps } from '../cluster/diff-apps.js';
import type { AppDiff } from '../diff/types.js';
import { clusterTargets, connectTargets } from './cluster-targets.js';
import { loadAndCompile, type LoadOptions, type LoadResult } from './load-and-compile.js';

/** Where a diff is, for a progress line: compiling, then comparing with the cluster(s). */
export type DiffProgress =
  { readonly stage: 'compiling' } | { readonly stage: 'comparing'; readonly apps: number; readonly objects: number; readonly requests: () => number };

export interface DiffRunOptions extends LoadOptions, ConnectOptions {
  readonly onProgress?: (p: DiffProgress) => void;
}

export interface DiffRunResult {
  readonly compiled: LoadResult;
  /** Undefined when the specs did not compile. */
  readonly apps?: AppDiff[];
  /** API requests sent. */
  readonly requests: number;
}

/**
 * `kubemin diff`: compile in memory, then compare every app with its cluster (`--context`, else
 * its environment's, else the current context: cluster-targets.ts).
 */
export async function diff(opts: DiffRunOptions): Promise<DiffRunResult> {
  opts.onProgress?.({ stage: 'compiling' });
  const compiled = await loadAndCompile(opts);
  if (hasErrors(compiled.diagnostics) || compiled.fileCount === 0) return { compiled, requests: 0 };
  const targets = clusterTargets(compiled.apps, { ...(opts.context !== undefined ? { context: opts.context } : {}), verb: 'diff' });
  const { clients, close } = await connectTargets(targets, opts);
  try {
    opts.onProgress?.({
      stage: 'comparing',
      apps: compiled.apps.length,
      objects: compiled.apps.reduce((n, app) => n + app.phases.reduce((m, phase) => m + phase.objects.length, 0), 0),
      requests: () => clients.reduce((n, c) => n + c.requests, 0),
    });
    const diffs = new Map<CompiledApp, AppDiff>();
    let requests = 0;
    for (const [i, target] of targets.entries()) {
      const client = clients[i]!;
      const found = await diffApps(target.apps, client, { concurrency: opts.concurrency });
      target.apps.forEach((app, j) => diffs.set(app, found[j]!));
      requests += client.requests;
    }
    return { compiled, apps: compiled.apps.map((app) => diffs.get(app)!), requests };
  } finally {
    close();
  }
}
