import { connect, type ConnectOptions } from '../cluster/http-client.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { diffApps } from '../diff/diff-apps.js';
import type { AppDiff } from '../diff/types.js';
import { loadAndCompile, type LoadOptions, type LoadResult } from './load-and-compile.js';

export interface DiffRunOptions extends LoadOptions, ConnectOptions {}

export interface DiffRunResult {
  readonly compiled: LoadResult;
  /** Undefined when the specs did not compile. */
  readonly apps?: AppDiff[];
  /** API requests sent. */
  readonly requests: number;
}

/** `kubemin diff`: compile in memory, then compare every app with the cluster. */
export async function diff(opts: DiffRunOptions): Promise<DiffRunResult> {
  const compiled = await loadAndCompile(opts);
  if (hasErrors(compiled.diagnostics) || compiled.fileCount === 0) return { compiled, requests: 0 };
  const client = await connect(opts);
  try {
    const apps = await diffApps(compiled.apps, client, { concurrency: opts.concurrency });
    return { compiled, apps, requests: client.requests };
  } finally {
    client.close();
  }
}
