/**
 * One render in a fresh process, for peak memory (and a cold-start time):
 *
 *   node --expose-gc build/bench/render-child.js <spec dir> <out dir>
 *
 * Prints one JSON line (ChildReport) on stdout. Peak RSS is the process's whole-life maximum
 * (`process.resourceUsage().maxRSS`), so it covers node itself, module loading and the render;
 * heap use is sampled after each stage while that stage's result is still alive.
 */
import { performance } from 'node:perf_hooks';
import { collectGarbage, renderOnce, type RenderRun, type Stage } from './pipeline.js';

export interface ChildReport {
  readonly run: RenderRun;
  /** Milliseconds from process start to the start of the render (node startup and imports). */
  readonly startupMs: number;
  /** KiB. */
  readonly maxRssKiB: number;
  /** Bytes, after each stage. */
  readonly heapUsed: Record<Stage, number>;
  readonly heapTotal: Record<Stage, number>;
  readonly externalAfterWrite: number;
}

async function main(): Promise<void> {
  const [srcDir, outDir] = process.argv.slice(2);
  if (!srcDir || !outDir) throw new Error('usage: render-child.js <spec dir> <out dir>');
  collectGarbage();
  const startupMs = performance.now();
  const heapUsed = {} as Record<Stage, number>;
  const heapTotal = {} as Record<Stage, number>;
  let external = 0;
  const { bundles: _bundles, ...run } = await renderOnce(srcDir, outDir, (stage) => {
    const m = process.memoryUsage();
    heapUsed[stage] = m.heapUsed;
    heapTotal[stage] = m.heapTotal;
    external = m.external + m.arrayBuffers;
  });
  const report: ChildReport = {
    run,
    startupMs,
    maxRssKiB: process.resourceUsage().maxRSS,
    heapUsed,
    heapTotal,
    externalAfterWrite: external,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
