/**
 * `npm run bench`: kubemin's render speed and memory at 10, 100 and 1000 applications, against
 * `kubectl kustomize` and `kubectl label --local` as references. See bench/README.md.
 *
 * Measures; never asserts: goals are printed with whether they are met, and the process exits
 * non-zero only on real errors (specs that do not compile, a reference command that fails).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, platform, arch, tmpdir, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { AppBundle } from '../src/bundle/emit-bundle.js';
import { compile } from '../src/compile.js';
import { appSpec, writeKubeminTree, writeKustomizeTree } from './generate.js';
import { BenchError, collectGarbage, renderOnce, STAGES, type RenderRun } from './pipeline.js';
import type { ChildReport } from './render-child.js';

const SIZES = [10, 100, 1000] as const;
const WARMUP = 1;
const RUNS = 3;
/** The size measured in a fresh process for peak memory, and compared with `kubectl label`. */
const BIG = 1000;
/** The size compared with kustomize. */
const MID = 100;
/** kustomize at 1000 apps is only run when it is expected to take less than this. */
const KUSTOMIZE_BIG_LIMIT_MS = 60_000;
/** A reference command taking longer than this is stopped (and reported as timed out). */
const COMMAND_TIMEOUT_MS = 120_000;

const GOALS = {
  /** kubemin at 1000 apps faster than `kubectl label --local` re-serialising the same objects. */
  vsLabel: 1,
  /** kubemin at 100 apps at least this many times faster than kustomize at 100 apps. */
  vsKustomize: 10,
  /** Peak RSS of a 1000-app render, MiB. */
  peakRssMiB: 300,
};

let failed = false;

async function main(): Promise<void> {
  const started = performance.now();
  const root = await mkdtemp(join(tmpdir(), 'kubemin-bench-'));
  const cleanup = (): void => rmSync(root, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  }
  try {
    await bench(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  console.log(`\nbench took ${(Math.round((performance.now() - started) / 100) / 10).toFixed(1)} s`);
}

async function bench(root: string): Promise<void> {
  const cpu = cpus();
  console.log('kubemin bench');
  console.log(
    `node ${process.version}, ${platform()} ${arch()}, ${cpu.length} CPU(s) (${cpu[0]?.model.trim() ?? 'unknown'}), ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB RAM; temp dir ${root}`,
  );
  if (!(globalThis as { gc?: unknown }).gc) console.log('note: run with --expose-gc to collect garbage between runs');

  // ---- inputs
  const specDirs = new Map<number, string>();
  const t = performance.now();
  for (const n of SIZES) {
    const dir = join(root, `specs-${n}`);
    await writeKubeminTree(dir, n);
    specDirs.set(n, dir);
  }
  console.log(
    `inputs: ${SIZES.join(' / ')} apps, one kubemin.yaml each (2 ConfigMaps, store = StatefulSet + 2 Services with a PVC, ` +
      `Job, webservice = Deployment + Service + Ingress, worker Deployment; 3-step workflow); ` +
      `generated in ${fmtMs(performance.now() - t)} ms`,
  );

  // ---- kubemin, in-process
  console.log(`\nkubemin render, in-process (read -> compile -> emit -> write into a fresh dir); ${WARMUP} warm-up + ${RUNS} runs, median ms`);
  const medians = new Map<number, RenderRun>();
  let bigBundles: AppBundle[] = [];
  const rows: string[][] = [];
  for (const n of SIZES) {
    const src = specDirs.get(n)!;
    const runs: RenderRun[] = [];
    for (let r = 0; r < WARMUP + RUNS; r++) {
      const out = join(root, `out-${n}-${r}`);
      collectGarbage();
      const { bundles, ...run } = await renderOnce(src, out);
      if (r >= WARMUP) runs.push(run);
      if (n === BIG && r === WARMUP + RUNS - 1) bigBundles = bundles;
      await rm(out, { recursive: true, force: true });
    }
    const m = medianRun(runs);
    medians.set(n, m);
    const totals = runs.map((x) => x.ms.total);
    rows.push([
      String(n),
      String(m.objects),
      String(m.files),
      fmtMs(m.ms.read),
      fmtMs(m.ms.compile),
      fmtMs(m.ms.emit),
      fmtMs(m.ms.write),
      fmtMs(m.ms.total),
      `${fmtMs(Math.min(...totals))}-${fmtMs(Math.max(...totals))}`,
      fmtInt((m.objects / m.ms.total) * 1000),
      fmtInt((m.ms.compile / m.apps) * 1000),
      m.warnings ? String(m.warnings) : '-',
    ]);
  }
  printTable(
    ['apps', 'objects', 'files', 'read', 'compile', 'emit', 'write', 'total', 'total range', 'objects/s', 'compile us/app', 'warnings'],
    rows,
  );
  console.log('  (each stage column is that stage\'s median, so the stages need not add up to the total)');
  const shares = medians.get(BIG)!;
  console.log(
    `  share of the ${BIG}-app total: ` + STAGES.map((s) => `${s} ${Math.round((shares.ms[s] / shares.ms.total) * 100)}%`).join(', '),
  );

  // ---- kubemin, fresh process: peak memory
  console.log(`\nkubemin render of ${BIG} apps in a fresh process (one cold run: peak memory)`);
  const childOut = join(root, 'out-child');
  const childPath = fileURLToPath(new URL('./render-child.js', import.meta.url));
  const child = await runCommand(process.execPath, ['--expose-gc', childPath, specDirs.get(BIG)!, childOut]);
  await rm(childOut, { recursive: true, force: true });
  let peakRssMiB: number | undefined;
  if (child.code !== 0) {
    fail(`render-child exited with ${child.code ?? child.signal}:\n${child.stderr}`);
  } else {
    const report = JSON.parse(child.stdout) as ChildReport;
    peakRssMiB = report.maxRssKiB / 1024;
    const mib = (b: number): string => (b / 2 ** 20).toFixed(1);
    printTable(
      ['measure', 'value'],
      [
        ['process wall time (spawn to exit)', `${fmtMs(child.ms)} ms`],
        ['  node startup + imports', `${fmtMs(report.startupMs)} ms`],
        ['  render: read / compile / emit / write', STAGES.map((s) => fmtMs(report.run.ms[s])).join(' / ') + ' ms'],
        ['  render total', `${fmtMs(report.run.ms.total)} ms (${fmtInt((report.run.objects / report.run.ms.total) * 1000)} objects/s)`],
        ['peak RSS (resourceUsage().maxRSS)', `${mib(report.maxRssKiB * 1024)} MiB`],
        ['heap used after read / compile / emit / write', STAGES.map((s) => mib(report.heapUsed[s])).join(' / ') + ' MiB'],
        ['heap total after read / compile / emit / write', STAGES.map((s) => mib(report.heapTotal[s])).join(' / ') + ' MiB'],
        ['external + array buffers after write', `${mib(report.externalAfterWrite)} MiB`],
      ],
    );
  }

  // ---- references
  console.log('\nreferences');
  const kubectl = findOnPath('kubectl');
  if (!kubectl) {
    console.log('  skipped: kubectl not found');
    printGoals(medians, undefined, undefined, peakRssMiB);
    return;
  }
  const version = await runCommand(kubectl, ['version', '--client']);
  console.log(`  ${kubectl}: ${version.stdout.trim().split('\n').join(', ')}`);

  const template = compile([{ path: 'base/kubemin.yaml', text: appSpec(0, 'base') }]);
  if (!template.apps[0]) throw new BenchError('the kustomize base template does not compile');
  const refRows: string[][] = [];
  const kustomizeMs = new Map<number, number>();
  for (const n of SIZES) {
    const est = estimateKustomize(kustomizeMs, n);
    if (n === BIG && est !== undefined && est > KUSTOMIZE_BIG_LIMIT_MS) {
      refRows.push([`kubectl kustomize`, String(n), '-', `skipped (expected ~${fmtMs(est / 1000)} s)`, '-', '-']);
      continue;
    }
    const dir = join(root, `kustomize-${n}`);
    const perApp = await writeKustomizeTree(dir, n, template.apps[0]);
    const timed = await timeRepeated(kubectl, ['kustomize', dir], est, (r) => countMatches(r.stdout, /^kind: /gm) === n * perApp);
    await rm(dir, { recursive: true, force: true });
    if (!timed) {
      refRows.push(['kubectl kustomize', String(n), String(n * perApp), 'FAILED (see above)', '-', '-']);
      continue;
    }
    kustomizeMs.set(n, timed.median);
    refRows.push(refRow('kubectl kustomize', n, n * perApp, timed, medians.get(n)!.ms.total));
  }

  // One multi-document file with kubemin's output for BIG apps.
  const rendered = join(root, 'rendered', `${BIG}-apps.yaml`);
  await mkdir(join(root, 'rendered'), { recursive: true });
  const docs = bigBundles.flatMap((b) => b.files.map((f) => f.text));
  bigBundles = [];
  await writeFile(rendered, docs.map((d) => `---\n${d}`).join(''));
  const labelArgs = ['label', '--local', '-f', rendered, 'x=1', '-o', 'yaml'];
  const label = await timeRepeated(kubectl, labelArgs, undefined, (r) => countMatches(r.stdout, /^ {2}kind: /gm) === docs.length);
  if (label) refRows.push(refRow('kubectl label --local -o yaml', BIG, docs.length, label, medians.get(BIG)!.ms.total));
  else refRows.push(['kubectl label --local -o yaml', String(BIG), String(docs.length), 'FAILED (see above)', '-', '-']);

  printTable(['command', 'apps', 'objects', 'median ms', 'runs', 'vs kubemin in-process'], refRows);
  console.log('  (times include process startup; kubemin in-process times do not: see the fresh-process wall time above)');

  printGoals(medians, kustomizeMs.get(MID), label?.median, peakRssMiB, child.code === 0 ? child.ms : undefined);
}

// ---------------------------------------------------------------------------- goals

function printGoals(
  medians: Map<number, RenderRun>,
  kustomizeMid: number | undefined,
  labelBig: number | undefined,
  peakRssMiB: number | undefined,
  childWallMs?: number,
): void {
  const big = medians.get(BIG)!.ms.total;
  const mid = medians.get(MID)!.ms.total;
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  const rows: string[][] = [];
  if (labelBig !== undefined) {
    const ratio = labelBig / big;
    const cold = childWallMs !== undefined ? `; cold process ${fmtRatio(labelBig / childWallMs)}` : '';
    rows.push([
      `kubemin ${BIG} apps faster than kubectl label`,
      `${fmtMs(big)} vs ${fmtMs(labelBig)} ms: ${fmtRatio(ratio)}${cold}`,
      `> ${GOALS.vsLabel}x`,
      verdict(ratio > GOALS.vsLabel),
    ]);
  } else {
    rows.push([`kubemin ${BIG} apps faster than kubectl label`, 'not measured', `> ${GOALS.vsLabel}x`, '-']);
  }
  if (kustomizeMid !== undefined) {
    const ratio = kustomizeMid / mid;
    rows.push([
      `kubemin ${MID} apps vs kustomize ${MID} apps`,
      `${fmtMs(mid)} vs ${fmtMs(kustomizeMid)} ms: ${fmtRatio(ratio)}`,
      `>= ${GOALS.vsKustomize}x`,
      verdict(ratio >= GOALS.vsKustomize),
    ]);
  } else {
    rows.push([`kubemin ${MID} apps vs kustomize ${MID} apps`, 'not measured', `>= ${GOALS.vsKustomize}x`, '-']);
  }
  if (peakRssMiB !== undefined) {
    rows.push([`peak RSS, ${BIG} apps`, `${peakRssMiB.toFixed(1)} MiB`, `< ${GOALS.peakRssMiB} MiB`, verdict(peakRssMiB < GOALS.peakRssMiB)]);
  } else {
    rows.push([`peak RSS, ${BIG} apps`, 'not measured', `< ${GOALS.peakRssMiB} MiB`, '-']);
  }
  console.log('\ngoals (reported, not enforced)');
  printTable(['goal', 'measured', 'target', 'status'], rows);
}

// ---------------------------------------------------------------------------- reference commands

interface CommandResult {
  readonly ms: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion, timing spawn to exit, with stdout and stderr collected. */
function runCommand(cmd: string, args: readonly string[], timeoutMs = COMMAND_TIMEOUT_MS): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        ms: performance.now() - start,
        code,
        signal,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

interface Timed {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
  readonly warmups: number;
}

/**
 * Times a command: one warm-up and three runs when a run is expected to be short, fewer when it
 * is slow (a single run, used as the measurement, beyond 20 s). `check` validates the output of
 * every run; a failure is reported and yields undefined.
 */
async function timeRepeated(
  cmd: string,
  args: readonly string[],
  expectedMs: number | undefined,
  check: (r: CommandResult) => boolean,
): Promise<Timed | undefined> {
  const times: number[] = [];
  let warmups = 0;
  let planned = WARMUP + RUNS;
  for (let i = 0; i < planned; i++) {
    collectGarbage();
    const r = await runCommand(cmd, args);
    if (r.timedOut) {
      fail(`${cmd} ${args.join(' ')}: stopped after ${COMMAND_TIMEOUT_MS / 1000} s`);
      return undefined;
    }
    if (r.code !== 0 || !check(r)) {
      const why = r.code !== 0 ? `exited with ${r.code ?? r.signal}` : 'printed unexpected output (object count differs)';
      fail(`${cmd} ${args.join(' ')} ${why}:\n${r.stderr.slice(0, 2000) || r.stdout.slice(0, 2000)}`);
      return undefined;
    }
    if (i === 0) {
      const slow = Math.max(r.ms, expectedMs ?? 0);
      // Slow runs: the first one is the measurement (warm-up would cost as much as a run).
      if (slow > 20_000) planned = 1;
      else if (slow > 8_000) planned = WARMUP + 1;
    }
    if (planned === 1 || i >= WARMUP) times.push(r.ms);
    else warmups++;
  }
  return { median: median(times), min: Math.min(...times), max: Math.max(...times), runs: times.length, warmups };
}

/** Expected kustomize time at n apps from smaller sizes (linear, or worse if it scaled worse). */
function estimateKustomize(measured: Map<number, number>, n: number): number | undefined {
  const sizes = [...measured.keys()].sort((a, b) => a - b);
  const last = sizes.at(-1);
  if (last === undefined) return undefined;
  const lastMs = measured.get(last)!;
  const prev = sizes.at(-2);
  const growth = prev !== undefined ? lastMs / measured.get(prev)! / (last / prev) : 1;
  return lastMs * (n / last) * Math.max(1, growth);
}

function refRow(what: string, apps: number, objects: number, t: Timed, kubeminMs: number): string[] {
  const runs = t.warmups ? `${t.warmups}+${t.runs}` : String(t.runs);
  const range = t.runs > 1 ? ` (${fmtMs(t.min)}-${fmtMs(t.max)})` : '';
  return [what, String(apps), String(objects), `${fmtMs(t.median)}${range}`, runs, `kubemin ${fmtRatio(t.median / kubeminMs)}`];
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------- numbers and tables

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Per-stage medians, and the median total. */
function medianRun(runs: readonly RenderRun[]): RenderRun {
  const first = runs[0]!;
  const ms = { total: median(runs.map((r) => r.ms.total)) } as RenderRun['ms'];
  for (const s of STAGES) ms[s] = median(runs.map((r) => r.ms[s]));
  return { ...first, ms };
}

function countMatches(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

function fmtMs(ms: number): string {
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return fmtInt(ms);
}

function fmtInt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** "12.3x faster" or "2.0x slower" for a ratio other / kubemin. */
function fmtRatio(ratio: number): string {
  return ratio >= 1 ? `${ratio.toFixed(1)}x faster` : `${(1 / ratio).toFixed(1)}x slower`;
}

function printTable(head: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = head.map((_, i) => rows.every((r) => /^[-\d.,]+$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]): string =>
    '  ' + cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  console.log(line(head));
  console.log('  ' + widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

function fail(message: string): void {
  failed = true;
  console.error(`error: ${message}`);
}

main().then(
  () => {
    if (failed) process.exitCode = 1;
  },
  (err: unknown) => {
    console.error(err instanceof BenchError ? `error: ${err.message}` : err);
    process.exitCode = 1;
  },
);
