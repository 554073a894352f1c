import { joinPointer } from '../../load/json-pointer.js';
import { dnsLabel, labelMap, portRef } from '../../spec/fragments.js';
import type { JsonSchema } from '../../spec/json-schema.js';
import type { TraitDef } from '../types.js';

/** One source of connections to a component. Exactly one of component, namespaceLabels/podLabels, ingressController. */
export interface NetworkPeerSpec {
  /** Pods of another component of this app (or of this one). */
  component?: string;
  /** Pods in the namespaces with these labels ({} = every namespace). */
  namespaceLabels?: Record<string, string>;
  /** Pods with these labels: in the namespaces of namespaceLabels, else in the app's namespace. */
  podLabels?: Record<string, string>;
  /** The ingress controller, as policies.ingressController selects it. */
  ingressController?: true;
  /** The ports they may connect to (numbers, or names of the component's ports); default every port. */
  ports?: Array<number | string>;
}

export interface NetworkPolicySpec {
  from?: NetworkPeerSpec[];
}

const schema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from'],
  properties: {
    from: {
      type: 'array',
      description: 'Who may connect, besides what the app itself needs (see policies.networkIsolation). An empty list: nobody else.',
      items: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          component: { ...dnsLabel, description: 'Pods of this component of the application.' },
          namespaceLabels: {
            ...labelMap,
            description: 'Pods in namespaces with these labels, e.g. {kubernetes.io/metadata.name: monitoring}; {} is every namespace.',
          },
          podLabels: { ...labelMap, description: "Only pods with these labels (in the namespaces of namespaceLabels, else in the app's namespace)." },
          ingressController: {
            const: true,
            errorMessage: 'must be true (the ingress controller may connect), or left out',
            description: 'The ingress controller (policies.ingressController, default the namespace ingress-nginx).',
          },
          ports: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            items: portRef,
            description: "Ports they may connect to: numbers, or names of the component's ports. Default: every port.",
          },
        },
      },
    },
  },
};

/**
 * The trait declares who may connect; the NetworkPolicy itself is made by
 * src/expand/app-objects/network-policies.ts, which adds what the app needs (its ingresses, the
 * components that depend on this one) and knows every component, which a trait does not.
 */
export const networkPolicy: TraitDef<NetworkPolicySpec> = {
  name: 'networkPolicy',
  description:
    'Who may connect to the pods: other components by name, namespaces by label, the ingress controller, optionally only to some ports. Becomes a NetworkPolicy <component> (ingress only) that also allows what the app needs; everything else is refused.',
  scope: 'pod',
  requires: ['podTemplate'],
  schema,
  apply() {
    return {};
  },
  peers(props, pointer) {
    return (props.from ?? []).flatMap((peer, i) => (peer.component ? [{ name: peer.component, pointer: joinPointer(pointer, 'from', i, 'component') }] : []));
  },
};
