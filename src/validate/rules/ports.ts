import { defaultPortName } from '../../expand/workload.js';
import type { PendingDiagnostic } from '../../expand/types.js';
import type { ValidationRule } from '../rule.js';

export const ports: ValidationRule = {
  name: 'ports',
  description: "A component's port numbers and port names are unique, also against the names its Service gives unnamed ports (p<port>).",
  reads: ['/spec/components/*/type', '/spec/components/*/ports'],
  check(app, ctx) {
    const out: PendingDiagnostic[] = [];
    app.spec.components.forEach((c, i) => {
      const numbers = new Map<string, number>();
      const names = new Map<string, number>();
      const portsOf = c.ports ?? [];
      portsOf.forEach((p, j) => {
        const pointer = `/spec/components/${i}/ports/${j}`;
        const key = `${p.port}/${p.protocol ?? 'TCP'}`;
        const prev = numbers.get(key);
        if (prev !== undefined) {
          out.push({
            severity: 'error',
            code: 'duplicate-port',
            message: `port ${key} is listed twice`,
            pointer: `${pointer}/port`,
            related: [{ message: 'first listed here', pointer: `/spec/components/${i}/ports/${prev}/port` }],
          });
        } else numbers.set(key, j);
        if (p.name) {
          const prevName = names.get(p.name);
          if (prevName !== undefined) {
            out.push({
              severity: 'error',
              code: 'duplicate-port-name',
              message: `port name "${p.name}" is used twice`,
              pointer: `${pointer}/name`,
              related: [{ message: 'first used here', pointer: `/spec/components/${i}/ports/${prevName}/name` }],
            });
          } else names.set(p.name, j);
        }
      });
      // In the Service, an unnamed port is named p<port>: that name must not be taken either.
      if (!ctx.tables.componentTypes.get(c.type)?.capabilities.service) return;
      portsOf.forEach((p, j) => {
        if (p.name) return;
        const given = defaultPortName(p.port, p.protocol);
        const taken = names.get(given);
        if (taken === undefined || taken === j) return;
        out.push({
          severity: 'error',
          code: 'duplicate-port-name',
          message: `port ${p.port} has no name, so its Service port is named "${given}", which another port already uses`,
          hint: 'name this port, or rename the other one',
          pointer: `/spec/components/${i}/ports/${j}`,
          related: [{ message: `the port named "${given}"`, pointer: `/spec/components/${i}/ports/${taken}/name` }],
        });
      });
    });
    return out;
  },
};
