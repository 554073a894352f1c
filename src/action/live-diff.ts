import { connect } from '../cluster/http-client.js';
import { KubeconfigError } from '../cluster/kubeconfig.js';
import type { CompiledApp } from '../compile.js';
import { describeApp } from '../environments/app-key.js';
import { diffApps } from '../cluster/diff-apps.js';
import type { LiveAppDiff, LiveDiff } from '../report/live-section.js';

/**
 * The head's apps against their clusters, as `kubemin diff` compares them: each environment's
 * variant in the kubeconfig context its `cluster` names (unless the input `context` is given),
 * other apps in the input context or the kubeconfig's current one; one connection per context.
 * An environment whose context the kubeconfig lacks is not compared, and the report says so.
 */
export async function liveDiff(apps: readonly CompiledApp[], kubeconfig: string, context: string | undefined): Promise<LiveDiff> {
  const groups = new Map<string, CompiledApp[]>();
  for (const app of apps) {
    const ctx = context || app.cluster || '';
    groups.set(ctx, [...(groups.get(ctx) ?? []), app]);
  }
  const diffs = new Map<CompiledApp, LiveAppDiff>();
  const notCompared: string[] = [];
  for (const [ctx, members] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let client;
    try {
      client = await connect({ kubeconfig, ...(ctx ? { context: ctx } : {}) });
    } catch (err) {
      // Only an environment's own context may be missing: the input's, or the current one, is the user's mistake.
      if (!(err instanceof KubeconfigError) || !ctx || ctx === context) throw err;
      for (const app of members)
        notCompared.push(
          `${describeApp(app)}: its cluster "${ctx}" is not a context of the kubeconfig (${err.message}): give a kubeconfig that has it, or the input context`,
        );
      continue;
    }
    try {
      const found = await diffApps(members, client);
      members.forEach((app, i) => diffs.set(app, { ...found[i]!, ...(app.environment ? { environment: app.environment } : {}) }));
    } finally {
      client.close();
    }
  }
  const compared = apps.flatMap((a) => (diffs.has(a) ? [diffs.get(a)!] : []));
  return { apps: compared, ...(notCompared.length ? { notCompared } : {}) };
}
