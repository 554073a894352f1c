import type { PendingDiagnostic } from '../../expand/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { containersOf } from '../../spec/walk.js';
import type { ValidationRule } from '../rule.js';

interface ProbeLike {
  httpGet?: { port?: number | string };
  tcpSocket?: { port?: number | string };
}

export const probePorts: ValidationRule = {
  name: 'probe-ports',
  description: 'A probe that names a port refers to a named port of its container (only the main container has ports).',
  reads: ['/spec/components/*/name', '/spec/components/*/ports', '/spec/components/*/traits'],
  check(app, ctx) {
    const out: PendingDiagnostic[] = [];
    app.spec.components.forEach((c, i) => {
      for (const container of containersOf(c, `/spec/components/${i}`, ctx.tables.traits)) {
        const named = new Set(container.role === 'main' ? (c.ports ?? []).flatMap((p) => (p.name ? [p.name] : [])) : []);
        const probes = (container.traits?.probes as ProbeLike[] | undefined) ?? [];
        probes.forEach((p, j) => {
          for (const handler of ['httpGet', 'tcpSocket'] as const) {
            const port = p[handler]?.port;
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
              pointer: joinPointer(container.pointer, 'traits', 'probes', j, handler, 'port'),
            });
          }
        });
      }
    });
    return out;
  },
};
