import type { TraitConverter } from './types.js';

/** share: how clones of a template application share objects; kubemin has no templates. */
export const share: TraitConverter = {
  name: 'share',
  kubemin: undefined,
  scope: 'pod',
  convert(_value, pointer, ctx) {
    ctx.problems.warn(
      pointer,
      'no-equivalent',
      'the share trait (how clones of a template share objects) has no equivalent: kubemin has no templates (dropped)',
    );
    return undefined;
  },
};
