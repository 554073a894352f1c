import { ready, type ReadinessRule } from '../types.js';

/** Kinds that are ready as soon as they exist: nothing runs for them until later, or at all. */
export const exists: ReadinessRule = {
  name: 'exists',
  description: 'Kinds that are ready as soon as they exist: nothing runs for them until later, or at all',
  kinds: [
    '/ConfigMap',
    '/Secret',
    '/ServiceAccount',
    'batch/CronJob',
    'autoscaling/HorizontalPodAutoscaler',
    'rbac.authorization.k8s.io/Role',
    'rbac.authorization.k8s.io/RoleBinding',
    'rbac.authorization.k8s.io/ClusterRole',
    'rbac.authorization.k8s.io/ClusterRoleBinding',
    'policy/PodDisruptionBudget',
    'networking.k8s.io/NetworkPolicy',
  ],
  check: () => ready('exists'),
};
