/**
 * bench/results.json: the figures of the last bench run (machine, commit, each figure with its
 * goal; a run of some sections keeps the other sections' figures, marked with their run), so that
 * runs can be compared: the previous file's figures are printed beside the new ones, and
 * `git diff bench/results.json` shows what changed since the committed run.
 * KUBEMIN_BENCH_RESULTS=<path> writes elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './cluster.js';
import { fmtMs, printTable } from './util.js';

/** A goal of issue 14: `ratio` (the reference's time / kubemin's, or kubemin's / the reference's) against a bound. */
export interface Goal {
  readonly text: string;
  /** `at-least`: the ratio must reach `bound` (kubemin n times faster); `at-most`: stay within it (kubemin n times slower). */
  readonly kind: 'at-least' | 'at-most';
  readonly bound: number;
  readonly ratio: number;
  readonly met: boolean;
}

export interface Figure {
  /** Stable across runs: how a figure is matched with the previous run's. */
  readonly id: string;
  readonly section: string;
  readonly what: string;
  readonly unit: 'ms' | 'MiB' | 'count';
  readonly value: number;
  readonly min?: number;
  readonly max?: number;
  readonly runs?: number;
  /** Median CPU time (user + system) of the measured processes, where it was measured. */
  readonly cpuMs?: number;
  /** The 1-minute load average when the figure's runs started and ended: other work on the machine shows in it. */
  readonly load?: readonly [number, number];
  readonly reference?: { readonly what: string; readonly value: number; readonly cpuMs?: number };
  readonly goal?: Goal;
  /** A figure kept from an earlier run (a section this run did not measure): that run's commit and date. */
  readonly run?: { readonly commit: string; readonly date: string };
}

interface ResultsFile {
  readonly commit: string;
  readonly date: string;
  readonly machine: Record<string, string | number>;
  readonly sections: readonly string[];
  readonly figures: readonly Figure[];
}

const figures: Figure[] = [];

export function recordFigure(f: Figure): void {
  const round = (x: number): number => Math.round(x * 10) / 10;
  figures.push({
    ...f,
    value: round(f.value),
    ...(f.min !== undefined ? { min: round(f.min) } : {}),
    ...(f.max !== undefined ? { max: round(f.max) } : {}),
    ...(f.reference ? { reference: { ...f.reference, value: round(f.reference.value) } } : {}),
    ...(f.goal ? { goal: { ...f.goal, ratio: Math.round(f.goal.ratio * 100) / 100 } } : {}),
  });
}

/** A goal from a ratio: for `at-least` a ratio of bound or more meets it, for `at-most` one of bound or less. */
export function goal(text: string, kind: Goal['kind'], bound: number, ratio: number): Goal {
  return { text, kind, bound, ratio, met: kind === 'at-least' ? ratio >= bound : ratio <= bound };
}

function resultsPath(): string {
  return process.env.KUBEMIN_BENCH_RESULTS ?? join(repoRoot, 'bench', 'results.json');
}

/** Writes the results file (temp then rename), after printing the figures beside the previous file's. */
export function writeResults(sections: readonly string[]): void {
  if (!figures.length) return;
  const path = resultsPath();
  const previous = readPrevious(path);
  if (previous) printComparison(previous);
  // A run of some sections (`npm run bench -- apply`) replaces their figures and keeps the other
  // sections' from the file, each marked with the run it came from.
  const kept = (previous?.figures ?? [])
    .filter((f) => !sections.includes(f.section))
    .map((f) => (f.run ? f : { ...f, run: { commit: previous!.commit, date: previous!.date } }));
  const file: ResultsFile = {
    commit: currentCommit(),
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: `${platform()} ${arch()}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memGiB: Math.round(totalmem() / 2 ** 30),
      loadAtEnd: Number(loadavg()[0]!.toFixed(2)),
    },
    sections: [...new Set([...(previous?.sections ?? []), ...sections])],
    figures: [...kept, ...figures],
  };
  writeFileSync(`${path}.tmp`, JSON.stringify(file, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
  console.log(`\nresults written to ${path}`);
}

function readPrevious(path: string): ResultsFile | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ResultsFile;
  } catch {
    return undefined;
  }
}

function printComparison(previous: ResultsFile): void {
  const before = new Map(previous.figures.map((f) => [f.id, f]));
  const rows = figures.flatMap((f) => {
    const b = before.get(f.id);
    if (!b || b.unit !== f.unit) return [];
    const change = b.value ? `${f.value >= b.value ? '+' : ''}${(((f.value - b.value) / b.value) * 100).toFixed(0)}%` : '-';
    const g = (x: Figure): string => (x.goal ? `${x.goal.ratio.toFixed(2)} ${x.goal.met ? 'PASS' : 'MISS'}` : '-');
    const load = (x: Figure): string => (x.load ? x.load.map((l) => l.toFixed(1)).join('-') : '-');
    return [[f.id, `${show(b)} (load ${load(b)})`, `${show(f)} (load ${load(f)})`, change, g(b), g(f)]];
  });
  if (!rows.length) return;
  console.log(`\ncompared with the previous results (${previous.commit}, ${previous.date}, ${previous.machine.cpus} CPUs)`);
  printTable(['figure', 'before', 'now', 'change', 'goal before', 'goal now'], rows);
}

function show(f: Figure): string {
  return `${fmtMs(f.value)} ${f.unit}${f.cpuMs !== undefined ? `, CPU ${fmtMs(f.cpuMs)}` : ''}`;
}

/** `abc1234`, with `+changes` when the checkout has uncommitted changes. */
function currentCommit(): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? '+changes' : ''}`;
  } catch {
    return 'unknown';
  }
}
