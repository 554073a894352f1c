import type { BundleObject, BundlePhase } from '../../compile.js';
import { clusterGpus, fitGpus, gpuDemand } from '../preflight/gpu.js';
import type { PhaseContext, PhaseRun, StepExecutor } from './types.js';

const INSTANCE = 'app.kubernetes.io/instance';
const NAME = 'app.kubernetes.io/name';

/**
 * Checks that the GPUs these objects' pods ask for fit on the nodes; undefined when none are
 * asked for. Pods of the same components that already run are not counted as taking GPUs:
 * they are the ones being replaced (or, unchanged, the ones asking).
 */
export async function checkGpus(objects: readonly BundleObject[], ctx: PhaseContext): Promise<PhaseRun | undefined> {
  const demand = gpuDemand(objects);
  if (!demand.length) return undefined;
  const components = new Set(demand.map((d) => d.component).filter((c): c is string => c !== null));
  const nodes = await clusterGpus(ctx.client, (pod) => pod.metadata.labels?.[INSTANCE] === ctx.app.name && components.has(pod.metadata.labels?.[NAME] ?? ''));
  const verdict = fitGpus(demand, nodes);
  if (verdict.fits) return { outcome: 'ready', objects: [], reasons: [] };
  return { outcome: 'refused', objects: [], reasons: [`GPU preflight: ${verdict.message}`] };
}

/** The components a gpu-preflight phase checks: `for`, or every component deployed after it. */
function checkedObjects(phase: BundlePhase, ctx: PhaseContext): BundleObject[] {
  const listed = (phase.params?.for as string[] | undefined) ?? [];
  const later = ctx.app.phases.filter((p) => p.index > phase.index);
  const wanted = new Set(listed.length ? listed : later.flatMap((p) => p.components));
  return ctx.app.phases.flatMap((p) => p.objects).filter((o) => o.component !== undefined && wanted.has(o.component));
}

export const gpuPreflightExecutor: StepExecutor = {
  stepType: 'gpu-preflight',
  async run(phase, ctx) {
    const run = await checkGpus(checkedObjects(phase, ctx), ctx);
    return run ?? { outcome: 'ready', objects: [], reasons: [] };
  },
};
