import type { PendingDiagnostic } from '../../expand/types.js';
import { containersOf } from '../../spec/walk.js';
import { fromTraits, type ValidationRule } from '../rule.js';

export const probePorts: ValidationRule = {
  name: 'probe-ports',
  description: 'A probe that names a port refers to a named port of its container (only the main container has ports).',
  reads: ['/spec/components/*/name', '/spec/components/*/ports', '/spec/components/*/traits'],
  check(app, ctx) {
    const out: PendingDiagnostic[] = [];
    app.spec.components.forEach((c, i) => {
      for (const container of containersOf(c, `/spec/components/${i}`, ctx.tables.traits)) {
        const named = new Set(container.role === 'main' ? (c.ports ?? []).flatMap((p) => (p.name ? [p.name] : [])) : []);
        // Every trait's probes (the built-in probes trait's, a plugin's): TraitDef.probePorts.
        for (const { port, pointer } of fromTraits(container, ctx.tables.traits, 'probePorts')) {
          if (typeof port !== 'string' || named.has(port)) continue;
          out.push({
            severity: 'error',
            code: 'probe-port',
            message: `probe port "${port}" is not a named port of container "${container.name}"`,
            hint:
              container.role !== 'main'
                ? 'init and sidecar containers declare no ports: use the port number'
                : named.size
                  ? `named ports: ${[...named].join(', ')}`
                  : 'use the port number, or name the port under ports',
            pointer,
          });
        }
      }
    });
    return out;
  },
};
