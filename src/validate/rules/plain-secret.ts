import type { ValidationRule } from '../rule.js';

export const plainSecret: ValidationRule = {
  name: 'plain-secret',
  description: 'Warns about Secret values written in plain text in the repository.',
  reads: ['/spec/components/*/name', '/spec/components/*/type'],
  check(app, ctx) {
    return app.spec.components.flatMap((c, i) =>
      ctx.tables.componentTypes.get(c.type)?.secretFields?.length
        ? [
            {
              severity: 'warning' as const,
              code: 'plain-secret',
              message: `secret "${c.name}" has its values in plain text in git, readable by anyone with the repository`,
              hint: 'create the Secret outside git (or with Sealed Secrets / External Secrets) and reference it by name from envs, envFrom or storage',
              pointer: `/spec/components/${i}`,
            },
          ]
        : [],
    );
  },
};
