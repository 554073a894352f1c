import type { PendingDiagnostic } from '../../expand/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { containersOf } from '../../spec/walk.js';
import type { ValidationRule } from '../rule.js';

interface StorageLike {
  name: string;
  mountPath?: string;
}

export const mountPaths: ValidationRule = {
  name: 'mount-paths',
  description: 'Two storage entries of one container are not mounted at the same path (the API server refuses it).',
  reads: ['/spec/components/*/name', '/spec/components/*/traits'],
  check(app, ctx) {
    const out: PendingDiagnostic[] = [];
    app.spec.components.forEach((c, i) => {
      for (const container of containersOf(c, `/spec/components/${i}`, ctx.tables.traits)) {
        const storage = (container.traits?.storage as StorageLike[] | undefined) ?? [];
        const seen = new Map<string, { name: string; pointer: string }>();
        storage.forEach((s, j) => {
          const entry = joinPointer(container.pointer, 'traits', 'storage', j);
          const path = s.mountPath ?? `/mnt/${s.name}`;
          const prev = seen.get(path);
          // Entries of the same name are one volume: the storage trait reports those.
          if (prev && prev.name !== s.name) {
            out.push({
              severity: 'error',
              code: 'duplicate-mount-path',
              message: `storage "${s.name}" is mounted at ${path}, where storage "${prev.name}" is already mounted in container "${container.name}"`,
              hint:
                s.mountPath === undefined
                  ? `without mountPath, storage is mounted at /mnt/<name>: set another mountPath`
                  : 'give each storage entry its own mountPath',
              pointer: s.mountPath === undefined ? joinPointer(entry, 'name') : joinPointer(entry, 'mountPath'),
              related: [{ message: `storage "${prev.name}"`, pointer: prev.pointer }],
            });
          } else if (!prev) seen.set(path, { name: s.name, pointer: entry });
        });
      }
    });
    return out;
  },
};
