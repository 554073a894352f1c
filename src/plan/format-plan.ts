import type { PlanDocument } from '../bundle/emit-bundle.js';

/** `kubemin plan`: the phases of each app as a tree, with each object's source line. */
export function formatPlanTree(plans: readonly PlanDocument[]): string {
  const out: string[] = [];
  for (const plan of plans) {
    const objects = plan.phases.reduce((n, p) => n + p.objects.length, 0);
    const name = plan.environment ? `${plan.environment}/${plan.app}` : plan.app;
    const cluster = plan.cluster ? `, cluster ${plan.cluster}` : '';
    out.push(`${name} (namespace ${plan.namespace}${cluster}, ${plan.phases.length} phases, ${objects} objects) ${plan.source}`);
    plan.phases.forEach((phase, i) => {
      const lastPhase = i === plan.phases.length - 1;
      const facts = [phase.mode, `timeout ${phase.timeout}`];
      if (phase.retries) facts.push(`retries ${phase.retries}`);
      if (phase.step && phase.step !== phase.name) facts.push(`step ${phase.step}`);
      if (phase.type !== 'deploy') facts.push(`type ${phase.type}`);
      out.push(`${lastPhase ? '└─' : '├─'} ${phase.dir.slice(phase.dir.lastIndexOf('/') + 1)}  ${facts.join(', ')}`);
      const rows = phase.objects.map((o) => [`${o.kind}/${o.name}`, o.component ?? '', o.source] as const);
      const w0 = Math.max(0, ...rows.map((r) => r[0].length));
      const w1 = Math.max(0, ...rows.map((r) => r[1].length));
      rows.forEach(([ref, component, source], j) => {
        const branch = j === rows.length - 1 ? '└─' : '├─';
        out.push(`${lastPhase ? '   ' : '│  '}${branch} ${ref.padEnd(w0)}  ${component.padEnd(w1)}  ${source}`.trimEnd());
      });
    });
    out.push('');
  }
  return out.join('\n');
}
