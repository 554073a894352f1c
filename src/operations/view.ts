import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { layoutFor } from '../bundle/bundle-layout.js';
import { emitApp } from '../bundle/emit-bundle.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { appKey } from '../environments/app-key.js';
import { Redactor } from '../secrets/redactor.js';
import { renderHtml } from '../view/render-html.js';
import { viewModel } from '../view/view-model.js';
import type { ConnectOptions } from '../cluster/http-client.js';
import type { AppDiff } from '../diff/types.js';
import { loadAndCompile, type LoadOptions, type LoadResult } from './load-and-compile.js';

export interface ViewOptions extends Pick<LoadOptions, 'paths' | 'env' | 'secrets' | 'cwd'>, Pick<ConnectOptions, 'kubeconfig' | 'context'> {
  /** The HTML file to write. */
  readonly out: string;
  /** Compare with the cluster (`kubemin diff`) and show the live diff in the page. */
  readonly live?: boolean;
}

export interface ViewResult {
  readonly compiled: LoadResult;
  /** The file written (absolute); undefined when nothing was (no specs, or errors). */
  readonly written: string | undefined;
  readonly apps: number;
}

/**
 * `kubemin view`: compile the specs, plan every app as `plan` does, and write one self-contained
 * HTML page of their workflows (src/view/). Every text on the page passes the redactor, with the
 * secret values of the specs registered: the page shows names and places, never Secret data.
 */
export async function view(opts: ViewOptions): Promise<ViewResult> {
  const cwd = opts.cwd ?? process.cwd();
  const load = { paths: opts.paths, env: opts.env, secrets: opts.secrets, cwd };
  const { compiled, diffs } = opts.live ? await compileAndDiff(load, opts) : { compiled: await loadAndCompile(load), diffs: undefined };
  if (hasErrors(compiled.diagnostics) || compiled.fileCount === 0) return { compiled, written: undefined, apps: 0 };
  const layout = layoutFor(opts.env);
  const plans = compiled.apps.map((a) => emitApp(a, { layout }).planDocument);
  const redactor = new Redactor().addAll(compiled.secrets);
  for (const app of compiled.apps) redactor.addAll(app.secrets ?? []);
  const live = diffs ? new Map<string, AppDiff>(compiled.apps.map((a, i) => [appKey(a), diffs[i]!])) : undefined;
  const apps = viewModel(plans, {
    dependsOn: new Map(compiled.apps.map((a) => [appKey(a), a.dependsOn ?? {}])),
    scrub: (t) => redactor.scrub(t),
    ...(live ? { live } : {}),
  });
  const out = resolve(cwd, opts.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, renderHtml(apps, { env: opts.env }));
  return { compiled, written: out, apps: apps.length };
}

/** `kubemin diff`'s compile and compare; imported here only: a view without a cluster never loads the cluster client. */
async function compileAndDiff(load: LoadOptions, opts: ViewOptions): Promise<{ compiled: LoadResult; diffs: AppDiff[] | undefined }> {
  const { diff } = await import('./diff.js');
  const r = await diff({ ...load, kubeconfig: opts.kubeconfig, context: opts.context });
  return { compiled: r.compiled, diffs: r.apps };
}
