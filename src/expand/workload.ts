import type { K8sObject, ObjectMeta } from '../k8s/types.js';
import { joinPointer } from '../load/json-pointer.js';
import type { BuiltPod, ComponentContext, EmittedObject } from './types.js';

/** Pieces shared by the component types that run pods. */

/** `replicas` (default 1) unless an autoscaler owns the count. */
export function replicasField(ctx: ComponentContext, pod: BuiltPod): { replicas?: number } {
  return pod.omitReplicas ? {} : { replicas: ctx.component.replicas ?? 1 };
}

/** Metadata of the workload object that runs `pod`: the component's, with the workload's own labels (the version). */
export function workloadMeta(ctx: ComponentContext, pod: BuiltPod, name: string): ObjectMeta {
  const meta = ctx.meta(name);
  return { ...meta, labels: { ...meta.labels, ...pod.workloadLabels } };
}

export interface ServiceOptions {
  /** A headless Service (clusterIP: None) for stable pod DNS names. */
  headless?: boolean;
}

/** A Service for the component's ports; Service port = targetPort = container port. */
export function serviceFor(ctx: ComponentContext, name: string, opts: ServiceOptions = {}): EmittedObject {
  const ports = ctx.component.ports ?? [];
  const object: K8sObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ctx.meta(name),
    spec: {
      ...(opts.headless ? { clusterIP: 'None' } : { type: 'ClusterIP' }),
      selector: { ...ctx.selector },
      ports: ports.map((p) => ({
        name: p.name ?? defaultPortName(p.port, p.protocol),
        port: p.port,
        targetPort: p.port,
        protocol: p.protocol ?? 'TCP',
      })),
    },
  };
  // A Service exists because of the ports, except the headless one a store always has.
  return { object, pointer: opts.headless ? ctx.pointer : joinPointer(ctx.pointer, 'ports') };
}

/** `http-8080`-style names are not guessed: a port without a name is `p<port>` (or `p<port>-udp`). */
export function defaultPortName(port: number, protocol?: string): string {
  return protocol && protocol !== 'TCP' ? `p${port}-${protocol.toLowerCase()}` : `p${port}`;
}

/** The Deployment that webservice and worker components become. */
export function deploymentFor(ctx: ComponentContext, pod: BuiltPod): EmittedObject {
  return {
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: workloadMeta(ctx, pod, ctx.component.name),
      spec: {
        ...replicasField(ctx, pod),
        selector: { matchLabels: { ...ctx.selector } },
        template: pod.template,
      },
    },
  };
}
