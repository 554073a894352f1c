import type { Labels } from '../k8s/types.js';
import type { AppContext } from './types.js';

/** Labels kubemin owns: users may not set them, selectors and inventories rely on them. */
export const RESERVED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by'] as const;

export const MANAGED_BY = 'kubemin';

/** Labels of every object of a component: recommended labels, then app labels, then component labels. */
export function componentLabels(app: AppContext, component: { name: string; type: string; labels?: Labels }): Labels {
  return {
    'app.kubernetes.io/name': component.name,
    'app.kubernetes.io/instance': app.name,
    'app.kubernetes.io/component': component.type,
    'app.kubernetes.io/part-of': app.name,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    ...app.labels,
    ...component.labels,
  };
}

/** Labels of app-level objects (the Namespace). */
export function appLabels(app: AppContext): Labels {
  return {
    'app.kubernetes.io/instance': app.name,
    'app.kubernetes.io/part-of': app.name,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    ...app.labels,
  };
}

/** Selectors use only labels that never change for the life of a component. */
export function selectorLabels(app: AppContext, componentName: string): Labels {
  return {
    'app.kubernetes.io/instance': app.name,
    'app.kubernetes.io/name': componentName,
  };
}
