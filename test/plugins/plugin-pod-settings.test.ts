import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAndCompile } from '../../src/operations/load-and-compile.js';
import { traitOutputProblem } from '../../src/plugins/check-output.js';
import { tempDir } from '../helpers/cli.js';

/**
 * A plugin's trait reaches the same pod-level settings as the built-in traits (TraitOutput.pod and
 * a container's securityContext and lifecycle), through the worker, checked for shape on return.
 */

function repo(files: Record<string, string>): string {
  const dir = tempDir('kubemin-plugin-pod-');
  mkdirSync(join(dir, '.git'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A trait `gpuPool`: tolerations, nodeSelector, a pod securityContext and a container's, from a plugin. */
const plugin = (podOutput: string) => `export default {
  name: 'pools',
  traits: [{
    name: 'gpuPool',
    description: 'Runs the pod on the GPU pool.',
    scope: 'pod',
    requires: ['podTemplate'],
    schema: { type: 'object', additionalProperties: false, required: ['pool'], properties: { pool: { type: 'string' } } },
    apply: (props) => (${podOutput}),
  }],
};
`;

const GOOD = `{
  pod: {
    nodeSelector: { pool: props.pool },
    tolerations: [{ key: 'pool', operator: 'Equal', value: props.pool, effect: 'NoSchedule' }],
    securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    priorityClassName: 'batch-high',
    terminationGracePeriodSeconds: 120,
    imagePullSecrets: [{ name: 'registry' }],
    annotations: { 'pools.example.com/pool': props.pool },
  },
  container: { securityContext: { readOnlyRootFilesystem: true }, lifecycle: { preStop: { sleep: { seconds: 5 } } } },
}`;

const spec = `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: train, namespace: ml}
spec:
  components:
    - name: trainer
      type: worker
      image: ghcr.io/acme/trainer:2.0
      traits:
        gpuPool: {pool: a100}
`;

describe('plugin traits set pod-level fields', () => {
  it('tolerations, nodeSelector, securityContext, priority, grace period, pull secrets and annotations cross the worker and land in the pod', async () => {
    const dir = repo({ 'kubemin.config.mjs': "export default { plugins: ['./pools.mjs'] };\n", 'pools.mjs': plugin(GOOD), 'kubemin.yaml': spec });
    const r = await loadAndCompile({ paths: ['.'], cwd: dir });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const deployment = r.apps[0]!.phases.flatMap((p) => p.objects).find((o) => o.object.kind === 'Deployment')!.object as Record<string, any>;
    const pod = deployment.spec.template;
    expect(pod.metadata.annotations).toEqual({ 'pools.example.com/pool': 'a100' });
    expect(pod.spec.nodeSelector).toEqual({ pool: 'a100' });
    expect(pod.spec.tolerations).toEqual([{ key: 'pool', operator: 'Equal', value: 'a100', effect: 'NoSchedule' }]);
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.spec.priorityClassName).toBe('batch-high');
    expect(pod.spec.terminationGracePeriodSeconds).toBe(120);
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(pod.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true });
    expect(pod.spec.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
  });

  it("a pod setting of the wrong shape is the plugin's fault: one plugin-failed diagnostic naming it and the setting", async () => {
    const dir = repo({
      'kubemin.config.mjs': "export default { plugins: ['./pools.mjs'] };\n",
      'pools.mjs': plugin("{ pod: { tolerations: { key: 'pool' } } }"),
      'kubemin.yaml': spec,
    });
    const r = await loadAndCompile({ paths: ['.'], cwd: dir });
    expect(r.apps).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      expect.stringMatching(/^plugin-failed .*"pools".*pod: tolerations must be a list of mappings/),
    ]);
  });

  it("the output check: every pod-level setting's shape, unknown settings named", () => {
    expect(traitOutputProblem({ pod: { nodeSelector: { a: 'b' }, tolerations: [{}], terminationGracePeriodSeconds: 0, labels: { a: 'b' } } })).toBeUndefined();
    expect(traitOutputProblem({ pod: [] })).toBe('pod: must be a mapping of pod-level settings');
    expect(traitOutputProblem({ pod: { nodeSelector: { zone: 1 } } })).toBe('pod: nodeSelector must map strings to strings');
    expect(traitOutputProblem({ pod: { terminationGracePeriodSeconds: -1 } })).toBe(
      'pod: terminationGracePeriodSeconds must be a whole number of seconds, at least 0',
    );
    expect(traitOutputProblem({ pod: { imagePullSecrets: ['registry'] } })).toBe('pod: imagePullSecrets must be a list of {name}');
    expect(traitOutputProblem({ pod: { hostNetwork: true } })).toMatch(/^pod: unknown pod-level setting "hostNetwork" \(known: serviceAccountName, /);
    expect(traitOutputProblem({ container: { securityContext: 'root' } })).toBe('container.securityContext must be a mapping');
  });
});
