import type { PendingDiagnostic } from '../../expand/types.js';
import { containersOf } from '../../spec/walk.js';
import { fromTraits, type ValidationRule } from '../rule.js';

export const mountPaths: ValidationRule = {
  name: 'mount-paths',
  description: 'Two storage entries of one container are not mounted at the same path (the API server refuses it).',
  reads: ['/spec/components/*/name', '/spec/components/*/traits'],
  check(app, ctx) {
    const out: PendingDiagnostic[] = [];
    app.spec.components.forEach((c, i) => {
      for (const container of containersOf(c, `/spec/components/${i}`, ctx.tables.traits)) {
        const seen = new Map<string, { volume: string; label: string; pointer: string }>();
        // Every trait's mounts (the built-in storage trait's, a plugin's): TraitDef.mountPaths.
        for (const m of fromTraits(container, ctx.tables.traits, 'mountPaths')) {
          const entry = m.at + m.entry;
          const prev = seen.get(m.path);
          // Mounts of one volume are one volume: the trait that mounts it reports those.
          if (prev && prev.volume !== m.volume) {
            out.push({
              severity: 'error',
              code: 'duplicate-mount-path',
              message: `${m.label} is mounted at ${m.path}, where ${prev.label} is already mounted in container "${container.name}"`,
              hint: m.hint ?? 'give each volume its own mount path',
              pointer: m.pointer,
              related: [{ message: prev.label, pointer: prev.pointer }],
            });
          } else if (!prev) seen.set(m.path, { volume: m.volume, label: m.label, pointer: entry });
        }
      }
    });
    return out;
  },
};
