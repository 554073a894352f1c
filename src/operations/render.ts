import { diffBundleDir, writeBundleDir, type BundleDirDiff } from '../bundle/bundle-dir.js';
import { emitApp, emitStream } from '../bundle/emit-bundle.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { loadAndCompile, type LoadOptions } from './load-and-compile.js';
import type { CompileResult } from '../compile.js';

export interface RenderOptions extends LoadOptions {
  /** Bundle directory; without it the manifests are returned as one YAML stream. */
  readonly out?: string;
  /** Compare `out` with what would be rendered instead of writing it. */
  readonly check?: boolean;
}

export type RenderOutcome =
  | { readonly kind: 'invalid' }
  | { readonly kind: 'stream'; readonly text: string }
  | { readonly kind: 'written'; readonly diff: BundleDirDiff }
  | { readonly kind: 'checked'; readonly diff: BundleDirDiff };

export interface RenderResult {
  readonly compiled: CompileResult;
  readonly outcome: RenderOutcome;
}

/** `kubemin render`: compile, then write the bundle atomically, check it, or stream it. */
export async function render(opts: RenderOptions): Promise<RenderResult> {
  const compiled = await loadAndCompile(opts);
  if (hasErrors(compiled.diagnostics)) return { compiled, outcome: { kind: 'invalid' } };
  if (!opts.out) return { compiled, outcome: { kind: 'stream', text: emitStream(compiled.apps) } };
  const bundles = compiled.apps.map(emitApp);
  const dirOpts = { keepOtherApps: opts.app !== undefined };
  if (opts.check) return { compiled, outcome: { kind: 'checked', diff: diffBundleDir(opts.out, bundles, dirOpts) } };
  const diff = writeBundleDir(opts.out, bundles, dirOpts);
  return { compiled, outcome: { kind: 'written', diff } };
}
