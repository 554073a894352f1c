import { closest } from '../../diagnostics/did-you-mean.js';
import type { PendingDiagnostic } from '../../expand/types.js';
import type { NetworkPolicySpec } from '../../expand/traits/network-policy.js';
import { defaultPortName } from '../../expand/workload.js';
import { joinPointer } from '../../load/json-pointer.js';
import type { ValidationRule } from '../rule.js';

/**
 * Each source of the networkPolicy trait says who, in one way: a component of the app that has
 * pods, namespaces and/or pods by label, or the ingress controller; a named port is one of the
 * component's.
 */
export const networkPeers: ValidationRule = {
  name: 'network-peers',
  description: "Each networkPolicy source is one component (with pods), labels, or the ingress controller; named ports are the component's.",
  reads: ['/spec/components/*/name', '/spec/components/*/type', '/spec/components/*/ports', '/spec/components/*/traits/networkPolicy'],
  check(app, ctx) {
    const out: PendingDiagnostic[] = [];
    const byName = new Map(app.spec.components.map((c) => [c.name, c]));
    app.spec.components.forEach((c, i) => {
      const np = c.traits?.networkPolicy as NetworkPolicySpec | undefined;
      const named = new Set((c.ports ?? []).flatMap((p) => (p.name ? [p.name] : [])));
      (np?.from ?? []).forEach((peer, j) => {
        const at = `/spec/components/${i}/traits/networkPolicy/from/${j}`;
        const kinds = [
          peer.component !== undefined,
          peer.namespaceLabels !== undefined || peer.podLabels !== undefined,
          peer.ingressController !== undefined,
        ].filter(Boolean).length;
        if (kinds !== 1) {
          out.push({
            severity: 'error',
            code: 'network-peer',
            message: kinds ? 'a source names one of: component, namespaceLabels/podLabels, ingressController' : 'a source must say who may connect',
            hint: 'write one entry per source, e.g. {component: web} or {namespaceLabels: {kubernetes.io/metadata.name: monitoring}}',
            pointer: at,
          });
        }
        if (peer.component !== undefined) {
          const other = byName.get(peer.component);
          const pointer = joinPointer(at, 'component');
          if (!other) {
            const guess = closest(peer.component, [...byName.keys()]);
            out.push({
              severity: 'error',
              code: 'unknown-component',
              message: `there is no component "${peer.component}" in this application`,
              hint: guess ? `did you mean "${guess}"?` : `components: ${[...byName.keys()].join(', ')}`,
              pointer,
            });
          } else if (!ctx.tables.componentTypes.get(other.type)?.capabilities.podTemplate) {
            out.push({
              severity: 'error',
              code: 'network-peer',
              message: `component "${peer.component}" is a ${other.type}: it has no pods that could connect`,
              hint: 'name a component that runs pods',
              pointer,
            });
          }
        }
        (peer.ports ?? []).forEach((port, k) => {
          if (typeof port !== 'string' || named.has(port)) return;
          const unnamed = (c.ports ?? []).find((p) => !p.name && defaultPortName(p.port, p.protocol) === port);
          out.push({
            severity: 'error',
            code: 'network-peer-port',
            message: `port "${port}" is not a named port of component "${c.name}"`,
            hint: unnamed
              ? `"${port}" is the Service's name for port ${unnamed.port}, which has no name in the pod: write ${unnamed.port}`
              : closest(port, [...named])
                ? `did you mean "${closest(port, [...named])}"?`
                : named.size
                  ? `named ports: ${[...named].join(', ')}`
                  : 'use the port number, or name the port under ports',
            pointer: joinPointer(at, 'ports', k),
          });
        });
      });
    });
    return out;
  },
};
