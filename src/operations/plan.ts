import { layoutFor } from '../bundle/bundle-layout.js';
import { emitApp, type PlanDocument } from '../bundle/emit-bundle.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { loadAndCompile, type LoadOptions, type LoadResult } from './load-and-compile.js';

export type PlanOptions = Pick<LoadOptions, 'paths' | 'app' | 'env' | 'secrets'>;

export interface PlanResult {
  readonly compiled: LoadResult;
  /** Each application's phases and objects, as `render` writes them in `<app>.plan.json`; none when the specs have errors. */
  readonly plans: readonly PlanDocument[];
}

/** `kubemin plan`: compile the specs and plan each application as `render` (with the same `--env`) would write it. */
export async function plan(opts: PlanOptions): Promise<PlanResult> {
  const compiled = await loadAndCompile(opts);
  if (hasErrors(compiled.diagnostics)) return { compiled, plans: [] };
  const layout = layoutFor(opts.env);
  return { compiled, plans: compiled.apps.map((a) => emitApp(a, { layout }).planDocument) };
}
