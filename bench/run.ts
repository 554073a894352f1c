/**
 * `npm run bench`: first the whole-process figures, `node bin/kubemin.js` as a user runs it beside
 * `node -e 0`, `kubectl kustomize`, `kubectl label` and a plain script (startup.ts); then
 * kubemin's render speed and memory in-process at 10, 100 and 1000 applications, against
 * `kubectl kustomize` and `kubectl label --local` as references; then `kubemin import` of 4k to 32k
 * components (import.ts); then `kubemin diff` against the
 * test cluster at 100 and 1000 objects, against `kubectl diff` (diff.ts); then `kubemin apply` of
 * 100 apps to the test cluster, against `kubectl apply --server-side` (apply.ts); then `kubemin watch`'s
 * latency from a git push to the apply (watch.ts); then the differential test against the API server
 * at scale (parity.ts); then the daemon soaked with faults for KUBEMIN_SOAK_SECONDS (soak.ts). See bench/README.md.
 *
 *   node --expose-gc build/bench/run.js [startup|render|import|diff|apply|watch|parity|soak]...   (default: every section)
 *
 * Measures; never asserts: goals are printed with whether they are met, and the process exits
 * non-zero only on real errors (specs that do not compile, a reference command that fails).
 * The figures are written to bench/results.json (results.ts).
 */
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { arch, cpus, loadavg, platform, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { AppBundle } from '../src/bundle/emit-bundle.js';
import { compile } from '../src/compile.js';
import { appSpec, writeKubeminTree, writeKustomizeTree } from './generate.js';
import { BenchError, collectGarbage, renderOnce, STAGES, type RenderRun } from './pipeline.js';
import { benchApply } from './apply.js';
import { abortTestCluster, releaseTestCluster } from './cluster.js';
import { benchDiff } from './diff.js';
import { benchImport } from './import.js';
import { benchParity } from './parity.js';
import { goal, recordFigure, writeResults } from './results.js';
import { benchSoak } from './soak.js';
import { benchStartup } from './startup.js';
import { benchWatch } from './watch.js';
import type { ChildReport } from './render-child.js';
import {
  COMMAND_TIMEOUT_MS,
  countMatches,
  findOnPath,
  fmtInt,
  fmtMs,
  fmtRatio,
  killRunningCommands,
  median,
  printTable,
  runCommand,
  type CommandResult,
} from './util.js';

const SIZES = [10, 100, 1000] as const;
const WARMUP = 1;
const RUNS = 3;
/** The size measured in a fresh process for peak memory, and compared with `kubectl label`. */
const BIG = 1000;
/** The size compared with kustomize. */
const MID = 100;
/** kustomize is also run once at this size, to see how it scales before trying BIG. */
const KUSTOMIZE_PROBE = 200;
/** kustomize at BIG apps is only run when it is expected to take less than this. */
const KUSTOMIZE_BIG_LIMIT_MS = 60_000;
/** tmpfs, to tell kubemin's own write cost from the disk's (used only if it is there). */
const TMPFS = '/dev/shm';

const GOALS = {
  /** kubemin at BIG apps faster than `kubectl label --local` re-serialising the same objects. */
  vsLabel: 1,
  /** kubemin at MID apps at least this many times faster than kustomize at MID apps. */
  vsKustomize: 10,
  /** Peak RSS of a BIG-app render, MiB. */
  peakRssMiB: 300,
};

/** Sections, in the order they run; `npm run bench -- diff` runs only the named ones. */
const SECTIONS = ['startup', 'render', 'import', 'diff', 'apply', 'watch', 'parity', 'soak'] as const;
type Section = (typeof SECTIONS)[number];

let failed = false;
const tempDirs: string[] = [];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !(SECTIONS as readonly string[]).includes(a));
  if (unknown.length) {
    console.error(`usage: run.js [${SECTIONS.join('|')}]... (default: all); unknown: ${unknown.join(' ')}`);
    process.exitCode = 2;
    return;
  }
  const sections = new Set<Section>(args.length ? (args as Section[]) : SECTIONS);
  const started = performance.now();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killRunningCommands();
      abortTestCluster();
      for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
      process.exit(130);
    });
  }
  try {
    const root = await tempDir(tmpdir());
    const cpu = cpus();
    console.log(`kubemin bench: ${SECTIONS.filter((s) => sections.has(s)).join(', ')}`);
    console.log(
      `node ${process.version}, ${platform()} ${arch()}, ${cpu.length} CPU(s) (${cpu[0]?.model.trim() ?? 'unknown'}), ` +
        `${Math.round(totalmem() / 2 ** 30)} GiB RAM, load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}; temp dir ${root}`,
    );
    if (!(globalThis as { gc?: unknown }).gc) console.log('note: run with --expose-gc to collect garbage between runs');
    if (sections.has('startup')) await section(() => benchStartup({ root, fail }));
    if (sections.has('render')) await section(() => bench(root));
    if (sections.has('import')) await section(() => benchImport({ root, fail }));
    if (sections.has('diff')) await section(() => benchDiff({ root, fail }));
    if (sections.has('apply')) await section(() => benchApply({ root, fail }));
    if (sections.has('watch')) await section(() => benchWatch({ root, fail }));
    if (sections.has('parity')) await section(() => benchParity({ root, fail }));
    if (sections.has('soak')) await section(() => benchSoak({ root, fail }));
  } finally {
    await releaseTestCluster();
    for (const d of tempDirs) await rm(d, { recursive: true, force: true });
  }
  writeResults(SECTIONS.filter((s) => sections.has(s)));
  console.log(`\nbench took ${(Math.round((performance.now() - started) / 100) / 10).toFixed(1)} s (cleanup included)`);
}

/** Runs a section; a BenchError (its setup went wrong) is reported and the next section runs. */
async function section(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!(err instanceof BenchError)) throw err;
    fail(err.message);
  }
}

async function tempDir(parent: string): Promise<string> {
  const d = await mkdtemp(join(parent, 'kubemin-bench-'));
  tempDirs.push(d);
  return d;
}

/** The render section: kubemin render at 10, 100 and 1000 apps, and the kubectl references. */
async function bench(root: string): Promise<void> {
  // ---- inputs
  const specDirs = new Map<number, string>();
  const t = performance.now();
  for (const n of SIZES) {
    const dir = join(root, `specs-${n}`);
    await writeKubeminTree(dir, n);
    specDirs.set(n, dir);
  }
  console.log(
    `inputs: ${SIZES.join(' / ')} apps, one kubemin.yaml each: 2 ConfigMaps, store (StatefulSet + Service + headless ` +
      `Service, PVC), migration Job, webservice (Deployment + Service + Ingress), worker Deployment; 3-step workflow ` +
      `(generated in ${fmtMs(performance.now() - t)} ms)`,
  );

  // ---- kubemin, in-process
  console.log(
    `\nkubemin render, in-process: read spec files -> compile -> emit -> write bundle dir (fresh dir each run); ` +
      `${WARMUP} warm-up + ${RUNS} runs, median ms`,
  );
  const medians = new Map<number, RenderRun>();
  const floors = new Map<number, number>();
  let bigBundles: AppBundle[] = [];
  const rows: string[][] = [];
  for (const n of SIZES) {
    const src = specDirs.get(n)!;
    const runs: RenderRun[] = [];
    let last: AppBundle[] = [];
    for (let r = 0; r < WARMUP + RUNS; r++) {
      const out = join(root, `out-${n}-${r}`);
      collectGarbage();
      const { bundles, ...run } = await renderOnce(src, out);
      if (r >= WARMUP) runs.push(run);
      last = bundles;
      await rm(out, { recursive: true, force: true });
    }
    const floorDir = join(root, `floor-${n}`);
    const floor = writeFloor(floorDir, last);
    await rm(floorDir, { recursive: true, force: true });
    floors.set(n, floor);
    if (n === BIG) bigBundles = last;
    // eslint-disable-next-line no-useless-assignment -- lets the garbage collector have them before the next size
    last = [];

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
      fmtInt((m.objects / (m.ms.read + m.ms.compile + m.ms.emit)) * 1000),
      fmtInt((m.ms.compile / m.apps) * 1000),
      fmtMs(floor),
    ]);
  }
  printTable(
    ['apps', 'objects', 'files', 'read', 'compile', 'emit', 'write', 'total', 'total range', 'objects/s', 'obj/s w/o write', 'compile us/app', 'fs floor'],
    rows,
  );
  console.log("  stage columns are each stage's median, so they need not add up to the total;");
  console.log('  fs floor: one run creating the same directories and files with mkdirSync/writeFileSync and nothing else');
  const big = medians.get(BIG)!;
  console.log(`  share of the ${BIG}-app total: ` + STAGES.map((s) => `${s} ${pct(big.ms[s], big.ms.total)}`).join(', '));

  // ---- the same, writing to tmpfs: what the write stage costs without the disk
  if (isWritableDir(TMPFS)) {
    const shm = await tempDir(TMPFS);
    collectGarbage();
    const { bundles: _b, ...run } = await renderOnce(specDirs.get(BIG)!, join(shm, 'out'));
    await rm(shm, { recursive: true, force: true });
    console.log(
      `  one more ${BIG}-app run writing to ${TMPFS} (tmpfs, reads still from the temp dir): ` +
        STAGES.map((s) => `${s} ${fmtMs(run.ms[s])}`).join(', ') +
        `, total ${fmtMs(run.ms.total)} ms (${fmtInt((run.objects / run.ms.total) * 1000)} objects/s)`,
    );
  }

  // ---- kubemin, fresh process: peak memory
  console.log(`\nkubemin render of ${BIG} apps in a fresh process (one cold run, no warm-up: peak memory)`);
  const childOut = join(root, 'out-child');
  const childPath = fileURLToPath(new URL('./render-child.js', import.meta.url));
  const child = await runCommand(process.execPath, ['--expose-gc', childPath, specDirs.get(BIG)!, childOut]);
  await rm(childOut, { recursive: true, force: true });
  let peakRssMiB: number | undefined;
  let childWallMs: number | undefined;
  if (child.code !== 0) {
    fail(`render-child exited with ${child.code ?? child.signal}:\n${child.stderr}`);
  } else {
    const report = JSON.parse(child.stdout) as ChildReport;
    peakRssMiB = report.maxRssKiB / 1024;
    childWallMs = child.ms;
    const mib = (b: number): string => (b / 2 ** 20).toFixed(1);
    printTable(
      ['measure', 'value'],
      [
        ['process wall time (spawn to exit)', `${fmtMs(child.ms)} ms`],
        ['  node startup + imports', `${fmtMs(report.startupMs)} ms`],
        ['  read / compile / emit / write', STAGES.map((s) => fmtMs(report.run.ms[s])).join(' / ') + ' ms'],
        ['  render total', `${fmtMs(report.run.ms.total)} ms (${fmtInt((report.run.objects / report.run.ms.total) * 1000)} objects/s)`],
        ['peak RSS (resourceUsage().maxRSS)', `${mib(report.maxRssKiB * 1024)} MiB`],
        ['heap used after read / compile / emit / write', STAGES.map((s) => mib(report.heapUsed[s])).join(' / ') + ' MiB'],
        ['heap total after read / compile / emit / write', STAGES.map((s) => mib(report.heapTotal[s])).join(' / ') + ' MiB'],
        ['external + array buffers after write', `${mib(report.externalAfterWrite)} MiB`],
      ],
    );
  }

  // ---- references
  console.log('\nreferences (times include process startup)');
  const kubectl = findOnPath('kubectl');
  if (!kubectl) {
    console.log('  skipped: kubectl not found');
    printGoals(medians, undefined, undefined, peakRssMiB, childWallMs);
    return;
  }
  const version = await runCommand(kubectl, ['version', '--client']);
  console.log(`  ${kubectl}: ${version.stdout.trim().split('\n').join(', ')}`);

  const template = compile([{ path: 'base/kubemin.yaml', text: appSpec(0, 'base') }]).apps[0];
  if (!template) throw new BenchError('the kustomize base template does not compile');
  const refRows: string[][] = [];
  const notes: string[] = [];
  const kustomizeMs = new Map<number, number>();
  const kustomize = async (n: number, single: boolean, timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> => {
    const dir = join(root, `kustomize-${n}`);
    const perApp = await writeKustomizeTree(dir, n, template);
    const objects = n * perApp;
    const what = 'kubectl kustomize';
    const timed = await timeRepeated(kubectl, ['kustomize', dir], {
      single,
      timeoutMs,
      check: (r) => countMatches(r.stdout, /^kind: /gm) === objects,
    });
    await rm(dir, { recursive: true, force: true });
    const kubeminMs = medians.get(n)?.ms.total;
    if (timed.kind === 'ok') kustomizeMs.set(n, timed.median);
    refRows.push(refRow(what, n, objects, timed, kubeminMs));
  };
  await kustomize(10, false);
  await kustomize(MID, false);
  const t100 = kustomizeMs.get(MID);
  if (t100 !== undefined) {
    // kustomize need not scale linearly: probe a second size, then extrapolate with the exponent seen.
    let estimate = t100 * (BIG / MID);
    let why = 'linear extrapolation';
    if (estimate <= KUSTOMIZE_BIG_LIMIT_MS) {
      await kustomize(KUSTOMIZE_PROBE, true);
      const tProbe = kustomizeMs.get(KUSTOMIZE_PROBE);
      if (tProbe !== undefined) {
        const k = Math.log(tProbe / t100) / Math.log(KUSTOMIZE_PROBE / MID);
        estimate = tProbe * (BIG / KUSTOMIZE_PROBE) ** Math.max(1, k);
        why = `kustomize time grew as n^${k.toFixed(2)} from ${MID} to ${KUSTOMIZE_PROBE} apps`;
      }
    }
    if (estimate <= KUSTOMIZE_BIG_LIMIT_MS) {
      await kustomize(BIG, true, KUSTOMIZE_BIG_LIMIT_MS + 15_000);
    } else {
      refRows.push(['kubectl kustomize', String(BIG), '-', `not run: expected ~${fmtInt(estimate / 1000)} s`, '-', '-']);
      notes.push(`kustomize at ${BIG} apps not run: ${why}, so ~${fmtInt(estimate / 1000)} s expected (limit ${KUSTOMIZE_BIG_LIMIT_MS / 1000} s)`);
    }
  }

  // One multi-document file with kubemin's rendered output for BIG apps.
  const rendered = join(root, 'rendered', `${BIG}-apps.yaml`);
  await mkdir(dirname(rendered), { recursive: true });
  const docs = bigBundles.flatMap((b) => b.files.map((f) => f.text));
  // eslint-disable-next-line no-useless-assignment -- lets the garbage collector have them before kubectl runs
  bigBundles = [];
  await writeFile(rendered, docs.map((d) => `---\n${d}`).join(''));
  const label = await timeRepeated(kubectl, ['label', '--local', '-f', rendered, 'x=1', '-o', 'yaml'], {
    single: false,
    timeoutMs: COMMAND_TIMEOUT_MS,
    // One document per object, printed back to back (top-level `kind:` lines).
    check: (r) => countMatches(r.stdout, /^kind: /gm) === docs.length,
  });
  refRows.push(refRow('kubectl label --local -o yaml', BIG, docs.length, label, medians.get(BIG)!.ms.total));

  printTable(['command', 'apps', 'objects', 'median ms (range)', 'runs', 'vs kubemin in-process'], refRows);
  for (const n of notes) console.log(`  ${n}`);

  printGoals(medians, kustomizeMs.get(MID), label.kind === 'ok' ? label.median : undefined, peakRssMiB, childWallMs);
}

// ---------------------------------------------------------------------------- goals

function printGoals(
  medians: Map<number, RenderRun>,
  kustomizeMid: number | undefined,
  labelBig: number | undefined,
  peakRssMiB: number | undefined,
  childWallMs: number | undefined,
): void {
  const big = medians.get(BIG)!.ms.total;
  const mid = medians.get(MID)!;
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  const rows: string[][] = [];
  const notes: string[] = [];
  // kubectl label -o yaml and kubectl kustomize print one YAML stream: the comparable kubemin
  // measure is read + compile + emit (what `kubemin render` without --out does). Writing one
  // file per object is measured separately: on this VM it is bound by file creation (fs floor).
  const stream = (r: RenderRun): number => r.ms.read + r.ms.compile + r.ms.emit;
  const bigRun = medians.get(BIG)!;
  for (const [n, r] of medians) {
    recordFigure({
      id: `render.${n}-inprocess`,
      section: 'render',
      what: `kubemin render ${n} apps in-process (read, compile, emit, write)`,
      unit: 'ms',
      value: r.ms.total,
      runs: RUNS,
    });
  }
  if (labelBig !== undefined) {
    const ratio = labelBig / stream(bigRun);
    recordFigure({
      id: `render.${BIG}-stream-inprocess`,
      section: 'render',
      what: `kubemin ${BIG} apps in-process to a stream`,
      unit: 'ms',
      value: stream(bigRun),
      reference: { what: 'kubectl label --local -o yaml', value: labelBig },
      goal: goal(`in-process faster than kubectl label`, 'at-least', GOALS.vsLabel, ratio),
    });
    rows.push([
      `kubemin ${BIG} apps faster than kubectl label (both to a stream)`,
      `${fmtMs(stream(bigRun))} vs ${fmtMs(labelBig)} ms: ${fmtRatio(ratio)}`,
      `> ${GOALS.vsLabel}x`,
      verdict(ratio > GOALS.vsLabel),
    ]);
    notes.push(
      `kubemin ${BIG} apps into a bundle directory (${fmtInt(bigRun.files)} files): ${fmtMs(big)} ms, ${fmtRatio(labelBig / big)} than kubectl label; the write stage is file creation (see the fs floor column)`,
    );
    if (childWallMs !== undefined) {
      notes.push(`kubemin ${BIG} apps as one cold process writing the bundle (node startup included): ${fmtMs(childWallMs)} ms`);
    }
  } else {
    rows.push([`kubemin ${BIG} apps faster than kubectl label`, 'not measured', `> ${GOALS.vsLabel}x`, '-']);
  }
  if (kustomizeMid !== undefined) {
    const ratio = kustomizeMid / stream(mid);
    recordFigure({
      id: `render.${MID}-stream-inprocess`,
      section: 'render',
      what: `kubemin ${MID} apps in-process to a stream`,
      unit: 'ms',
      value: stream(mid),
      reference: { what: 'kubectl kustomize', value: kustomizeMid },
      goal: goal(`in-process >= ${GOALS.vsKustomize}x faster than kustomize`, 'at-least', GOALS.vsKustomize, ratio),
    });
    rows.push([
      `kubemin ${MID} apps vs kustomize ${MID} apps (both to a stream)`,
      `${fmtMs(stream(mid))} vs ${fmtMs(kustomizeMid)} ms: ${fmtRatio(ratio)}`,
      `>= ${GOALS.vsKustomize}x`,
      verdict(ratio >= GOALS.vsKustomize),
    ]);
    notes.push(`kubemin ${MID} apps into a bundle directory: ${fmtMs(mid.ms.total)} ms, ${fmtRatio(kustomizeMid / mid.ms.total)} than kustomize`);
  } else {
    rows.push([`kubemin ${MID} apps vs kustomize ${MID} apps`, 'not measured', `>= ${GOALS.vsKustomize}x`, '-']);
  }
  if (peakRssMiB !== undefined) {
    recordFigure({ id: `render.${BIG}-peak-rss`, section: 'render', what: `peak RSS of a cold ${BIG}-app render`, unit: 'MiB', value: peakRssMiB });
    rows.push([`peak RSS, ${BIG} apps`, `${peakRssMiB.toFixed(1)} MiB`, `< ${GOALS.peakRssMiB} MiB`, verdict(peakRssMiB < GOALS.peakRssMiB)]);
  } else {
    rows.push([`peak RSS, ${BIG} apps`, 'not measured', `< ${GOALS.peakRssMiB} MiB`, '-']);
  }
  console.log('\ngoals (reported, not enforced; kubemin = in-process median)');
  printTable(['goal', 'measured', 'target', 'status'], rows);
  for (const n of notes) console.log(`  info: ${n}`);
}

// ---------------------------------------------------------------------------- kubemin helpers

/** The file-system cost alone: the bundles' directories and files, created the cheapest way. */
function writeFloor(dir: string, bundles: readonly AppBundle[]): number {
  const start = performance.now();
  const made = new Set<string>();
  for (const b of bundles) {
    for (const f of [...b.files, b.plan]) {
      const path = join(dir, f.path);
      const parent = dirname(path);
      if (!made.has(parent)) {
        mkdirSync(parent, { recursive: true });
        made.add(parent);
      }
      writeFileSync(path, f.text);
    }
  }
  return performance.now() - start;
}

function isWritableDir(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------- reference commands

type Timed =
  | { readonly kind: 'ok'; readonly median: number; readonly min: number; readonly max: number; readonly runs: number; readonly warmups: number }
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'failed' };

/**
 * Times a command: one warm-up and three runs, or a single run with `single` or when the first
 * run took more than 20 s. `check` validates every run's output; a failing or wrong run is an
 * error (reported, and the bench exits non-zero at the end), a run past the timeout is not.
 */
async function timeRepeated(
  cmd: string,
  args: readonly string[],
  opts: { single: boolean; timeoutMs: number; check: (r: CommandResult) => boolean },
): Promise<Timed> {
  const times: number[] = [];
  let warmups = 0;
  let planned = opts.single ? 1 : WARMUP + RUNS;
  for (let i = 0; i < planned; i++) {
    collectGarbage();
    const r = await runCommand(cmd, args, opts.timeoutMs);
    if (r.timedOut) return { kind: 'timeout', afterMs: opts.timeoutMs };
    if (r.code !== 0 || !opts.check(r)) {
      const why = r.code !== 0 ? `exited with ${r.code ?? r.signal}` : 'printed unexpected output (object count differs)';
      fail(`${cmd} ${args.join(' ')} ${why}:\n${(r.stderr || r.stdout).slice(0, 2000)}`);
      return { kind: 'failed' };
    }
    if (i === 0 && r.ms > 20_000) planned = 1;
    if (planned === 1 || i >= WARMUP) times.push(r.ms);
    else warmups++;
  }
  return { kind: 'ok', median: median(times), min: Math.min(...times), max: Math.max(...times), runs: times.length, warmups };
}

function refRow(what: string, apps: number, objects: number, t: Timed, kubeminMs: number | undefined): string[] {
  if (t.kind === 'failed') return [what, String(apps), String(objects), 'FAILED (see stderr)', '-', '-'];
  if (t.kind === 'timeout') return [what, String(apps), String(objects), `stopped after ${fmtInt(t.afterMs / 1000)} s`, '1', '-'];
  const runs = t.warmups ? `${t.warmups}+${t.runs}` : String(t.runs);
  const range = t.runs > 1 ? ` (${fmtMs(t.min)}-${fmtMs(t.max)})` : '';
  const vs = kubeminMs !== undefined ? `kubemin ${fmtRatio(t.median / kubeminMs)}` : '-';
  return [what, String(apps), String(objects), `${fmtMs(t.median)}${range}`, runs, vs];
}

// ---------------------------------------------------------------------------- numbers and tables

/** Per-stage medians, and the median total. */
function medianRun(runs: readonly RenderRun[]): RenderRun {
  const ms = { total: median(runs.map((r) => r.ms.total)) } as RenderRun['ms'];
  for (const s of STAGES) ms[s] = median(runs.map((r) => r.ms[s]));
  return { ...runs[0]!, ms };
}

function pct(part: number, whole: number): string {
  return `${Math.round((part / whole) * 100)}%`;
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
