import type { PendingDiagnostic } from '../../expand/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import type { ValidationRule } from '../rule.js';

interface ProbeLike {
  httpGet?: { port?: number | string };
  tcpSocket?: { port?: number | string };
}

export const probePorts: ValidationRule = {
  name: 'probe-ports',
  description: "A probe that names a port refers to one of the component's named ports.",
  check(app) {
    const out: PendingDiagnostic[] = [];
    app.spec.components.forEach((c, i) => {
      const named = new Set((c.ports ?? []).flatMap((p) => (p.name ? [p.name] : [])));
      const probes = (c.traits?.probes as ProbeLike[] | undefined) ?? [];
      probes.forEach((p, j) => {
        for (const handler of ['httpGet', 'tcpSocket'] as const) {
          const port = p[handler]?.port;
          if (typeof port === 'string' && !named.has(port)) {
            out.push({
              severity: 'error',
              code: 'probe-port',
              message: `probe port "${port}" is not a named port of "${c.name}"`,
              hint: named.size ? `named ports: ${[...named].join(', ')}` : 'use the port number, or name the port under ports',
              pointer: joinPointer(`/spec/components/${i}/traits/probes`, j, handler, 'port'),
            });
          }
        }
      });
    });
    return out;
  },
};
