import { resolve } from 'node:path';
import { diffBundleDir, writeBundleDir, type BundleDirDiff } from '../files/bundle-dir/bundle-dir.js';
import type { BundleFs } from '../files/bundle-dir/bundle-fs.js';
import { emitApp, emitStream } from '../bundle/emit-bundle.js';
import { layoutFor } from '../bundle/bundle-layout.js';
import { checkOutDir } from '../files/bundle-dir/out-dir-guard.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { loadAndCompile, type LoadOptions, type LoadResult } from './load-and-compile.js';

export interface RenderOptions extends LoadOptions {
  /** Bundle directory; without it the manifests are returned as one YAML stream. */
  readonly out?: string;
  /** Compare `out` with what would be rendered instead of writing it. */
  readonly check?: boolean;
  /** The file system of the bundle directory (tests wrap it). */
  readonly fs?: BundleFs;
}

type RenderOutcome =
  | { readonly kind: 'no-specs' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'no-app'; readonly app: string }
  | { readonly kind: 'stream'; readonly text: string }
  | { readonly kind: 'written'; readonly diff: BundleDirDiff }
  | { readonly kind: 'checked'; readonly diff: BundleDirDiff };

export interface RenderResult {
  /** With `env`, `skipped` names the apps that have environments but not that one. */
  readonly compiled: LoadResult;
  readonly outcome: RenderOutcome;
}

/**
 * `kubemin render`: compile, then write the bundle atomically, check it, or stream it. With `env`,
 * that environment's variants are written where apps without environments are (`DIR/<app>/`);
 * without it, every environment's at `DIR/<env>/<app>/` (bundle-layout.ts). Nothing
 * under `out` changes unless there are specs, they are valid, `--app` names one of them, and `out`
 * holds none of them (an OutDirError otherwise).
 */
export async function render(opts: RenderOptions): Promise<RenderResult> {
  // Before any plugin code runs, and whether or not the specs are valid.
  if (opts.out) await checkOutDir(opts.out, opts.paths, opts.cwd);
  const compiled = await loadAndCompile(opts);
  if (compiled.fileCount === 0) return { compiled, outcome: { kind: 'no-specs' } };
  if (hasErrors(compiled.diagnostics)) return { compiled, outcome: { kind: 'invalid' } };
  if (opts.app !== undefined && !compiled.apps.length) return { compiled, outcome: { kind: 'no-app', app: opts.app } };
  if (!opts.out) return { compiled, outcome: { kind: 'stream', text: emitStream(compiled.apps) } };
  const out = opts.cwd ? resolve(opts.cwd, opts.out) : opts.out;
  const layout = layoutFor(opts.env);
  const bundles = compiled.apps.map((app) => emitApp(app, { layout }));
  const dirOpts = { keepOtherApps: opts.app !== undefined, ...(opts.fs ? { fs: opts.fs } : {}) };
  if (opts.check) return { compiled, outcome: { kind: 'checked', diff: diffBundleDir(out, bundles, dirOpts) } };
  return { compiled, outcome: { kind: 'written', diff: writeBundleDir(out, bundles, dirOpts) } };
}
