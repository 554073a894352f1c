import type { PendingDiagnostic } from '../../expand/types.js';
import type { ValidationRule } from '../rule.js';

export const ports: ValidationRule = {
  name: 'ports',
  description: "A component's port numbers and port names are unique.",
  check(app) {
    const out: PendingDiagnostic[] = [];
    app.spec.components.forEach((c, i) => {
      const numbers = new Map<string, number>();
      const names = new Map<string, number>();
      (c.ports ?? []).forEach((p, j) => {
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
    });
    return out;
  },
};
