/**
 * The whole-process figures (`npm run bench -- startup`): `node bin/kubemin.js ...` spawned as a
 * user types it, start-up included, each beside its reference command and its goal (issue 14):
 *
 * - `kubemin --version` and `kubemin validate examples/shop` against `node -e 0`;
 * - `kubemin render` of 100 apps to a stream against `kubectl kustomize` of the same objects;
 * - `kubemin render` of 1000 apps to a stream against `kubectl label --local -o yaml` of its output;
 * - `kubemin render --out` of 1000 apps against a plain node script writing the same files.
 *
 * A command and its reference run in turns (warm-up, then runs), so that other work on the machine
 * weighs on both alike; the 1-minute load average at the start and end of each pair is printed
 * and recorded. CPU time (user + system of the finished children, from /proc/self/stat) is shown
 * beside each wall time where the system has it. KUBEMIN_BENCH_BIN=<path of a kubemin.js> times
 * another build (an older checkout's, for a before/after) with the same inputs and references.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { compile } from '../src/compile.js';
import { kubeminBin, repoRoot } from './cluster.js';
import { appSpec, writeKubeminTree, writeKustomizeTree } from './generate.js';
import { BenchError } from './pipeline.js';
import { goal, recordFigure, type Goal } from './results.js';
import { countMatches, findOnPath, fmtMs, median, printTable, runCommand, type CommandResult, type SectionContext } from './util.js';

/**
 * Light commands (under a second): a warm-up, then 9 runs. Renders: 3 runs, no warm-up (the
 * setup has just read their inputs and run kubemin on them once), to keep the section near 2 minutes.
 */
const RUNS = { light: { warmup: 1, runs: 9 }, heavy: { warmup: 0, runs: 3 } } as const;
type Runs = (typeof RUNS)[keyof typeof RUNS];

const GOALS = {
  /** `kubemin --version` at most this many times `node -e 0`. */
  version: 3,
  /** `kubemin validate examples/shop` at most this many times `node -e 0`. */
  validate: 4,
  /** `kubemin render` of 100 apps at least this many times faster than `kubectl kustomize`. */
  vsKustomize: 15,
  /** `kubemin render` of 1000 apps to a stream at least this many times faster than `kubectl label --local -o yaml`. */
  vsLabel: 3,
  /** `kubemin render --out` of 1000 apps at most this many times a plain script writing the same files. */
  vsPlainWrite: 1.5,
} as const;

const MID = 100;
const BIG = 1000;

/** A command as the section runs it: argv, where, and what its output must show. */
interface Command {
  readonly what: string;
  readonly argv: readonly [string, ...string[]];
  readonly check: (r: CommandResult) => string | undefined;
  /** Run before each run, not timed (e.g. removing the previous run's output directory). */
  readonly before?: () => Promise<void>;
}

interface Timing {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
  readonly cpuMs: number | undefined;
}

export async function benchStartup(ctx: SectionContext): Promise<void> {
  console.log(
    `\nwhole process: node bin/kubemin.js as a user runs it (start-up included), in turns with its reference; ` +
      `${RUNS.light.warmup} warm-up + ${RUNS.light.runs} runs (renders: ${RUNS.heavy.runs} runs), median wall ms (CPU ms), load average at start-end`,
  );
  const dir = join(ctx.root, 'startup');
  const node = process.execPath;
  const bin = process.env.KUBEMIN_BENCH_BIN ?? kubeminBin;
  if (bin !== kubeminBin) console.log(`  kubemin: ${bin} (KUBEMIN_BENCH_BIN)`);
  const kubemin = (...args: string[]): [string, ...string[]] => [node, bin, ...args];
  const rows: string[][] = [];
  const row = (id: string, what: string, ref: string, k: Timing, r: Timing, load: [number, number], g: Goal): void => {
    rows.push([
      what,
      show(k),
      ref,
      show(r),
      `${g.ratio.toFixed(2)}`,
      `${g.kind === 'at-most' ? '<=' : '>='} ${g.bound}`,
      g.met ? 'PASS' : 'MISS',
      load.map((l) => l.toFixed(1)).join('-'),
    ]);
    recordFigure({
      id,
      section: 'startup',
      what,
      unit: 'ms',
      value: k.median,
      min: k.min,
      max: k.max,
      runs: k.runs,
      ...(k.cpuMs !== undefined ? { cpuMs: k.cpuMs } : {}),
      load,
      reference: { what: ref, value: r.median, ...(r.cpuMs !== undefined ? { cpuMs: r.cpuMs } : {}) },
      goal: g,
    });
  };

  // ---- start-up alone: --version and validate against node -e 0
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const nodeZero: Command = { what: 'node -e 0', argv: [node, '-e', '0'], check: exitedZero };
  const light = await timeInTurns(
    [
      nodeZero,
      {
        what: 'kubemin --version',
        argv: kubemin('--version'),
        check: (r) => exitedZero(r) ?? (r.stdout.trim() === version ? undefined : `printed ${JSON.stringify(r.stdout.slice(0, 100))}`),
      },
      {
        what: 'kubemin validate examples/shop',
        argv: kubemin('validate', join(repoRoot, 'examples', 'shop')),
        check: (r) => exitedZero(r) ?? (/no problems found/.test(r.stdout) ? undefined : `printed ${JSON.stringify(r.stdout.slice(0, 200))}`),
      },
    ],
    RUNS.light,
    ctx,
  );
  if (light) {
    const [zero, ver, val] = light.timings as [Timing, Timing, Timing];
    row(
      'startup.version',
      'kubemin --version',
      'node -e 0',
      ver,
      zero,
      light.load,
      goal('kubemin --version <= 3x node -e 0', 'at-most', GOALS.version, ver.median / zero.median),
    );
    row(
      'startup.validate-shop',
      'kubemin validate examples/shop',
      'node -e 0',
      val,
      zero,
      light.load,
      goal('kubemin validate examples/shop <= 4x node -e 0', 'at-most', GOALS.validate, val.median / zero.median),
    );
  }

  // ---- renders: inputs
  const specs = new Map<number, string>();
  for (const n of [MID, BIG]) {
    specs.set(n, join(dir, `specs-${n}`));
    await writeKubeminTree(specs.get(n)!, n);
  }
  const kubectl = findOnPath('kubectl');
  const template = compile([{ path: 'base/kubemin.yaml', text: appSpec(0, 'base') }]).apps[0];
  if (!template) throw new BenchError('the kustomize base template does not compile');
  const perApp = template.phases.reduce((n, p) => n + p.objects.length, 0);
  const stream = (n: number): Command => ({
    what: `kubemin render, ${n} apps, to a stream`,
    argv: kubemin('render', specs.get(n)!),
    check: (r) => exitedZero(r) ?? objects(r, n * perApp),
  });

  // ---- 100 apps to a stream against kubectl kustomize
  if (kubectl) {
    const kustomizeDir = join(dir, `kustomize-${MID}`);
    await writeKustomizeTree(kustomizeDir, MID, template);
    const t = await timeInTurns(
      [
        stream(MID),
        { what: `kubectl kustomize, ${MID} apps`, argv: [kubectl, 'kustomize', kustomizeDir], check: (r) => exitedZero(r) ?? objects(r, MID * perApp) },
      ],
      RUNS.heavy,
      ctx,
    );
    if (t) {
      const [k, ref] = t.timings as [Timing, Timing];
      row(
        'startup.render-100-stream',
        `kubemin render ${MID} apps (stream)`,
        `kubectl kustomize`,
        k,
        ref,
        t.load,
        goal(`${MID} apps >= 15x faster than kubectl kustomize`, 'at-least', GOALS.vsKustomize, ref.median / k.median),
      );
    }
  }

  // ---- 1000 apps to a stream against kubectl label --local -o yaml of the same objects
  if (kubectl) {
    const [cmd, ...args] = kubemin('render', specs.get(BIG)!);
    const first = await runCommand(cmd, args);
    const wrong = exitedZero(first) ?? objects(first, BIG * perApp);
    if (wrong) throw new BenchError(`kubemin render of ${BIG} apps: ${wrong}`);
    const file = join(dir, `stream-${BIG}.yaml`);
    await writeFile(file, first.stdout);
    const t = await timeInTurns(
      [
        stream(BIG),
        {
          what: `kubectl label --local -o yaml, ${BIG} apps`,
          argv: [kubectl, 'label', '--local', '-f', file, 'x=1', '-o', 'yaml'],
          check: (r) => exitedZero(r) ?? objects(r, BIG * perApp),
        },
      ],
      RUNS.heavy,
      ctx,
    );
    if (t) {
      const [k, ref] = t.timings as [Timing, Timing];
      row(
        'startup.render-1000-stream',
        `kubemin render ${BIG} apps (stream)`,
        'kubectl label --local -o yaml',
        k,
        ref,
        t.load,
        goal(`${BIG} apps >= 3x faster than kubectl label`, 'at-least', GOALS.vsLabel, ref.median / k.median),
      );
    }
  }

  // ---- 1000 apps into a bundle directory against a plain node script writing the same files
  const out = join(dir, 'out');
  const probe = await runCommand(node, [bin, 'render', specs.get(BIG)!, '--out', out]);
  if (probe.code !== 0) throw new BenchError(`kubemin render --out of ${BIG} apps exited with ${probe.code}: ${probe.stderr.slice(0, 500)}`);
  const files = listFiles(out);
  const manifest = join(dir, 'files.json');
  await writeFile(manifest, JSON.stringify(files));
  const writer = join(dir, 'plain-writer.mjs');
  await writeFile(writer, PLAIN_WRITER);
  const fresh = async (): Promise<void> => rm(out, { recursive: true, force: true });
  const written = (r: CommandResult): string | undefined => {
    const n = exitedZero(r) === undefined ? listFiles(out, { text: false }).length : 0;
    return exitedZero(r) ?? (n === files.length ? undefined : `wrote ${n} files, not ${files.length}`);
  };
  const w = await timeInTurns(
    [
      { what: `kubemin render --out, ${BIG} apps`, argv: kubemin('render', specs.get(BIG)!, '--out', out), check: written, before: fresh },
      { what: `node plain-writer.mjs, ${files.length} files`, argv: [node, writer, manifest, out], check: written, before: fresh },
    ],
    RUNS.heavy,
    ctx,
  );
  await fresh();
  if (w) {
    const [k, ref] = w.timings as [Timing, Timing];
    row(
      'startup.render-1000-out',
      `kubemin render ${BIG} apps --out (${files.length} files)`,
      'plain node script writing them',
      k,
      ref,
      w.load,
      goal(`bundle dir within 1.5x of a plain script`, 'at-most', GOALS.vsPlainWrite, k.median / ref.median),
    );
  }

  printTable(['kubemin', 'ms (cpu)', 'reference', 'ms (cpu)', 'ratio', 'goal', 'status', 'load'], rows);
  console.log('  ratio: kubemin / reference where the goal is at most (<=), reference / kubemin where it is at least (>=)');
  if (!kubectl) console.log('  kubectl not found: the comparisons with kubectl kustomize and kubectl label are skipped');
}

/** Writes the files of files.json ([[path, text], ...]) under a directory: mkdir each parent once, then writeFileSync. */
const PLAIN_WRITER = `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
const [manifest, out] = process.argv.slice(2);
const made = new Set();
for (const [path, text] of JSON.parse(readFileSync(manifest, 'utf8'))) {
  const file = join(out, path);
  const parent = dirname(file);
  if (!made.has(parent)) {
    mkdirSync(parent, { recursive: true });
    made.add(parent);
  }
  writeFileSync(file, text);
}
`;

/** Every file under a directory, as [path relative to it, text (or '' without `text`)], sorted. */
function listFiles(root: string, opts: { text: boolean } = { text: true }): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push([relative(root, p), opts.text ? readFileSync(p, 'utf8') : '']);
    }
  };
  walk(root);
  return out;
}

/**
 * Runs the commands in turns: `warmup` rounds (not timed), then `runs` rounds. A failed check is a
 * real error (reported; the pair's figures are left out).
 */
async function timeInTurns(
  commands: readonly Command[],
  { warmup, runs }: Runs,
  ctx: SectionContext,
): Promise<{ timings: Timing[]; load: [number, number] } | undefined> {
  const load0 = loadavg()[0]!;
  const wall = commands.map((): number[] => []);
  const cpu = commands.map((): number[] => []);
  for (let round = 0; round < warmup + runs; round++) {
    for (const [i, c] of commands.entries()) {
      await c.before?.();
      const cpu0 = childrenCpuMs();
      const r = await runCommand(c.argv[0], c.argv.slice(1), undefined, { cwd: repoRoot });
      const cpu1 = childrenCpuMs();
      const wrong = r.timedOut ? 'timed out' : c.check(r);
      if (wrong) {
        ctx.fail(`${c.what} (${c.argv.slice(1).join(' ')}): ${wrong}\n${r.stderr.slice(0, 1000)}`);
        return undefined;
      }
      if (round < warmup) continue;
      wall[i]!.push(r.ms);
      if (cpu0 !== undefined && cpu1 !== undefined) cpu[i]!.push(cpu1 - cpu0);
    }
  }
  const timings = commands.map((_, i) => ({
    median: median(wall[i]!),
    min: Math.min(...wall[i]!),
    max: Math.max(...wall[i]!),
    runs: wall[i]!.length,
    cpuMs: cpu[i]!.length ? median(cpu[i]!) : undefined,
  }));
  return { timings, load: [load0, loadavg()[0]!] };
}

function show(t: Timing): string {
  return `${fmtMs(t.median)} (${t.cpuMs === undefined ? '-' : fmtMs(t.cpuMs)})`;
}

function exitedZero(r: CommandResult): string | undefined {
  return r.code === 0 ? undefined : `exited with ${r.code ?? r.signal}`;
}

function objects(r: CommandResult, expected: number): string | undefined {
  const n = countMatches(r.stdout, /^kind: /gm);
  return n === expected ? undefined : `printed ${n} objects, not ${expected}`;
}

let ticksPerSecond: number | undefined;

/** CPU time of this process's finished children (user + system), from /proc/self/stat; undefined elsewhere. */
function childrenCpuMs(): number | undefined {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    // Fields after the command name (which may hold spaces, in parentheses): cutime and cstime are the 14th and 15th.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}
