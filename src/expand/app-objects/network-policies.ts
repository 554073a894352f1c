import type { K8sObject, Labels } from '../../k8s/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { canonicalJson } from '../hash.js';
import type { ExpandedObject } from '../expand-app.js';
import { selectorLabels } from '../labels.js';
import type { NetworkPeerSpec, NetworkPolicySpec } from '../traits/network-policy.js';
import type { IngressControllerPolicy } from '../types.js';
import type { AppObjectsDef, ExpandedComponent } from './types.js';

type Peer = Record<string, unknown>;
type PolicyPort = { port: number | string; protocol: string };
interface Rule {
  from: Peer[];
  ports?: PolicyPort[];
}

/**
 * A NetworkPolicy `<component>` (ingress only) for every component with pods that has the
 * `networkPolicy` trait or is isolated (`policies.networkIsolation`). It allows, and so nothing
 * else may connect to the pods:
 *   1. what the trait declares (components, namespaces by label, the ingress controller);
 *   2. the ingress controller, on the ports an Ingress of the app routes to in the component's Service;
 *   3. the pods of the components that list it in `dependsOn`, on its ports;
 *   4. its own pods, when it has a headless Service (a store's peers find each other through it).
 * Egress stays open: the policy restricts who reaches the pods, not where they connect.
 */
export const networkPolicies: AppObjectsDef = {
  name: 'network-policies',
  description: 'NetworkPolicies of isolated components and of those with the networkPolicy trait: what they declare and what the app needs.',
  derive({ components, objects }) {
    const out: ExpandedObject[] = [];
    // Only when some component gets a policy (most apps have none): every Ingress's backends looked up.
    let routed: Map<string, PolicyPort[]> | undefined;
    for (const c of components) {
      const { ctx } = c;
      if (!ctx.type.capabilities.podTemplate) continue;
      const declared = ctx.component.traits?.networkPolicy as NetworkPolicySpec | undefined;
      if (!declared && !ctx.policies.networkIsolation) continue;
      const rules = [
        ...(declared?.from ?? []).map((peer) => declaredRule(c, peer)),
        ...ingressRules((routed ??= ingressTargets(objects)).get(ctx.component.name), ctx.policies.ingressController),
        ...dependentRules(c, components),
        ...peerRules(c, objects),
      ];
      const object: K8sObject = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: ctx.meta(ctx.component.name),
        spec: {
          podSelector: { matchLabels: { ...ctx.selector } },
          policyTypes: ['Ingress'],
          ...(rules.length ? { ingress: distinct(rules) } : {}),
        },
      };
      const pointer = declared
        ? joinPointer(ctx.pointer, 'traits', 'networkPolicy')
        : ctx.component.policies?.networkIsolation !== undefined
          ? joinPointer(ctx.pointer, 'policies', 'networkIsolation')
          : '/spec/policies/networkIsolation';
      out.push({ object, component: ctx.component.name, pointer });
    }
    return { objects: out };
  },
};

function podSelector(labels: Labels): Peer {
  return { podSelector: { matchLabels: { ...labels } } };
}

function namespacedPeer(namespaceLabels: Labels | undefined, podLabels: Labels | undefined): Peer {
  return {
    ...(namespaceLabels ? { namespaceSelector: Object.keys(namespaceLabels).length ? { matchLabels: { ...namespaceLabels } } : {} } : {}),
    ...(podLabels ? { podSelector: Object.keys(podLabels).length ? { matchLabels: { ...podLabels } } : {} } : {}),
  };
}

function ingressControllerPeer(p: IngressControllerPolicy): Peer {
  return namespacedPeer(p.namespaceLabels, p.podLabels);
}

/**
 * A port of the rule, as a number when it is one of the component's ports (a name is only that of
 * a container port, which a plugin's pod might not carry), with that port's protocol, else TCP.
 */
function policyPort(c: ExpandedComponent, port: number | string): PolicyPort {
  const own = (c.ctx.component.ports ?? []).find((p) => p.port === port || p.name === port);
  return { port: own?.port ?? port, protocol: own?.protocol ?? 'TCP' };
}

function declaredRule(c: ExpandedComponent, peer: NetworkPeerSpec): Rule {
  const from = peer.component
    ? podSelector(selectorLabels(c.ctx.app, peer.component))
    : peer.ingressController
      ? ingressControllerPeer(c.ctx.policies.ingressController)
      : namespacedPeer(peer.namespaceLabels, peer.podLabels);
  return { from: [from], ...(peer.ports ? { ports: peer.ports.map((p) => policyPort(c, p)) } : {}) };
}

/** The component's own ports; undefined (every port) when it declares none. */
function ownPorts(c: ExpandedComponent): PolicyPort[] | undefined {
  const ports = c.ctx.component.ports ?? [];
  return ports.length ? ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })) : undefined;
}

function ingressRules(ports: PolicyPort[] | undefined, controller: IngressControllerPolicy): Rule[] {
  return ports ? [{ from: [ingressControllerPeer(controller)], ports }] : [];
}

/** The components (with pods) that list this one in dependsOn connect to it: they are allowed on its ports, by name order. */
function dependentRules(c: ExpandedComponent, all: readonly ExpandedComponent[]): Rule[] {
  const name = c.ctx.component.name;
  const ports = ownPorts(c);
  if (!ports) return [];
  const dependents = all
    .filter((d) => d.ctx.type.capabilities.podTemplate && (d.ctx.component.dependsOn ?? []).includes(name))
    .sort((a, b) => cmp(a.ctx.component.name, b.ctx.component.name));
  return dependents.length ? [{ from: dependents.map((d) => podSelector(d.ctx.selector)), ports }] : [];
}

/** A headless Service of the component publishes each pod's address for its peers: they may connect to each other. */
function peerRules(c: ExpandedComponent, objects: readonly ExpandedObject[]): Rule[] {
  const headless = objects.some(
    (o) => o.component === c.ctx.component.name && o.object.kind === 'Service' && (o.object.spec as { clusterIP?: string } | undefined)?.clusterIP === 'None',
  );
  return headless ? [{ from: [podSelector(c.ctx.selector)] }] : [];
}

/**
 * Component name -> the ports (the Services' target ports) that the app's Ingresses route to, in
 * the Services of that component, in port order (whatever the order of the components).
 */
function ingressTargets(objects: readonly ExpandedObject[]): Map<string, PolicyPort[]> {
  const services = new Map<string, ExpandedObject>();
  for (const o of objects) if (o.object.kind === 'Service' && o.component !== undefined) services.set(o.object.metadata.name, o);
  const out = new Map<string, PolicyPort[]>();
  for (const o of objects) {
    if (o.object.kind !== 'Ingress') continue;
    for (const backend of backendsOf(o.object)) {
      const svc = services.get(backend.name);
      if (!svc) continue; // a Service outside the app
      const ports = (svc.object.spec as { ports?: Array<{ name?: string; port: number; targetPort?: number | string; protocol?: string }> }).ports ?? [];
      const port = ports.find((p) => (backend.port.number !== undefined ? p.port === backend.port.number : p.name === backend.port.name));
      if (!port) continue;
      const target = { port: port.targetPort ?? port.port, protocol: port.protocol ?? 'TCP' };
      const list = out.get(svc.component!) ?? [];
      if (!list.some((p) => p.port === target.port && p.protocol === target.protocol)) list.push(target);
      out.set(
        svc.component!,
        list.sort((a, b) => cmp(String(a.port).padStart(5, '0'), String(b.port).padStart(5, '0')) || cmp(a.protocol, b.protocol)),
      );
    }
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Backend {
  name: string;
  port: { number?: number; name?: string };
}

function backendsOf(ingress: K8sObject): Backend[] {
  const spec = (ingress.spec ?? {}) as {
    defaultBackend?: { service?: Backend };
    rules?: Array<{ http?: { paths?: Array<{ backend?: { service?: Backend } }> } }>;
  };
  const all = [spec.defaultBackend?.service, ...(spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend?.service))];
  return all.filter((b): b is Backend => !!b?.name && !!b.port);
}

/** The same rule twice (declared and needed) is written once, where it first appears. */
function distinct(rules: Rule[]): Rule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = canonicalJson(r);
    return !seen.has(key) && !!seen.add(key);
  });
}
