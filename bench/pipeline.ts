/**
 * kubemin as `kubemin render <dir> --out <out>` runs it, in-process and timed stage by stage:
 * read the spec files from disk, compile (parse, validate, expand, plan), emit every app's
 * bundle (YAML text and plan), and write the bundle directory.
 */
import { performance } from 'node:perf_hooks';
import { writeBundleDir } from '../src/files/bundle-dir/bundle-dir.js';
import { emitApp, type AppBundle } from '../src/bundle/emit-bundle.js';
import { compile, type CompileResult } from '../src/compile.js';
import { hasErrors } from '../src/diagnostics/diagnostic.js';
import { formatText } from '../src/diagnostics/format-text.js';
import { readSpecFiles } from '../src/files/find-spec-files.js';

export type Stage = 'read' | 'compile' | 'emit' | 'write';
export const STAGES: readonly Stage[] = ['read', 'compile', 'emit', 'write'];

export interface RenderRun {
  /** Milliseconds per stage, and their sum. */
  readonly ms: Record<Stage | 'total', number>;
  readonly specFiles: number;
  readonly apps: number;
  readonly objects: number;
  /** Files written: manifests plus one plan per app. */
  readonly files: number;
  /** UTF-16 length of all written text (≈ bytes, the output is ASCII). */
  readonly chars: number;
  readonly warnings: number;
}

export class BenchError extends Error {
  override readonly name = 'BenchError';
}

/**
 * Renders every spec under `srcDir` into `outDir` (which should not exist yet). Throws a
 * BenchError if the specs do not compile cleanly. `onStage` is called after each stage, while
 * that stage's result is still referenced (to sample memory).
 */
export async function renderOnce(srcDir: string, outDir: string, onStage?: (stage: Stage) => void): Promise<RenderRun & { bundles: AppBundle[] }> {
  const t0 = performance.now();
  const files = await readSpecFiles(['.'], srcDir);
  const t1 = performance.now();
  onStage?.('read');
  const result: CompileResult = compile(files);
  const t2 = performance.now();
  onStage?.('compile');
  if (hasErrors(result.diagnostics) || result.apps.length === 0) {
    const shown = result.diagnostics.slice(0, 20);
    throw new BenchError(`the generated specs do not compile:\n${formatText(shown, result.sources)}`);
  }
  const bundles = result.apps.map((app) => emitApp(app));
  const t3 = performance.now();
  onStage?.('emit');
  writeBundleDir(outDir, bundles);
  const t4 = performance.now();
  onStage?.('write');

  let objects = 0;
  for (const app of result.apps) for (const phase of app.phases) objects += phase.objects.length;
  let fileCount = 0;
  let chars = 0;
  for (const b of bundles) {
    fileCount += b.files.length + 1;
    chars += b.plan.text.length;
    for (const f of b.files) chars += f.text.length;
  }
  return {
    ms: { read: t1 - t0, compile: t2 - t1, emit: t3 - t2, write: t4 - t3, total: t4 - t0 },
    specFiles: files.length,
    apps: result.apps.length,
    objects,
    files: fileCount,
    chars,
    warnings: result.diagnostics.length,
    bundles,
  };
}

/** Collects garbage when node runs with --expose-gc (so one run's garbage is not charged to the next). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
