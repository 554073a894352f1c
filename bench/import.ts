/**
 * The `import` section: `kubemin import kubemin-cli` of one KubeMin-Cli application of 1,000 to
 * 32,000 webservice components (every one a Service-selector warning, as KubeMin-Cli's Services
 * select the whole app), timed as a user runs it (a process each, start-up included). Above about
 * 6,000 components the converted spec is over kubemin's 1 MiB limit for a spec file, and the
 * import refuses it (exit 1) after converting it: still timed. The time per component should not
 * grow with the size: the ratio of the largest to the smallest is printed (below 1.0 is linear,
 * start-up spread over more components; every warning used to name every other component, and
 * 32,000 took 72 s).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kubeminBin } from './cluster.js';
import { fmtInt, fmtMs, printTable, runCommand, type SectionContext } from './util.js';

const SIZES = [1_000, 4_000, 16_000, 32_000] as const;

function application(components: number): string {
  const component = Array.from({ length: components }, (_, i) => ({
    name: `c${i}`,
    type: 'webservice',
    image: 'nginx:1.27',
    properties: { ports: [{ port: 80 }], env: { MODE: 'web' } },
  }));
  const workflow = Array.from({ length: Math.ceil(components / 10) }, (_, s) => ({
    name: `s${s}`,
    mode: 'StepByStep',
    components: component.slice(s * 10, s * 10 + 10).map((c) => c.name),
  }));
  return JSON.stringify({ name: 'big', namespace: 'big', component, workflow });
}

export async function benchImport(ctx: SectionContext): Promise<void> {
  console.log(`\nkubemin import kubemin-cli: one application of ${SIZES.map(fmtInt).join(', ')} components, a process each (start-up included)`);
  const rows: string[][] = [];
  const perComponent: number[] = [];
  for (const n of SIZES) {
    const input = join(ctx.root, `import-${n}.json`);
    await writeFile(input, application(n));
    const run = await runCommand(process.execPath, [kubeminBin, 'import', 'kubemin-cli', input, '--out', join(ctx.root, `import-${n}.yaml`)]);
    const tooLarge = run.code === 1 && /over the limit of 1048576/.test(run.stderr);
    if (run.code !== 0 && !tooLarge) {
      ctx.fail(`kubemin import of ${n} components exited ${run.code ?? run.signal}: ${run.stderr.split('\n').slice(-3).join(' ')}`);
      return;
    }
    perComponent.push(run.ms / n);
    rows.push([fmtInt(n), fmtMs(run.ms), (run.ms / n).toFixed(3), fmtInt(run.stderr.length), tooLarge ? 'refused: over 1 MiB' : 'converted']);
  }
  printTable(['components', 'ms', 'ms/component', 'message bytes', 'outcome'], rows);
  console.log(
    `  ms per component at ${fmtInt(SIZES[SIZES.length - 1]!)} / at ${fmtInt(SIZES[0])}: ${(perComponent[perComponent.length - 1]! / perComponent[0]!).toFixed(2)} (1.00 is linear; below 1, start-up is spread over more components)`,
  );
}
