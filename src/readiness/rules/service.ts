import { specOf, statusOf } from '../conditions.js';
import { progressing, ready, type ReadinessRule } from '../types.js';

/** Annotation asking kubemin to wait for a LoadBalancer Service's or an Ingress's address. */
const WAIT_FOR_ADDRESS = 'kubemin.dev/wait-for-address';

const hasAddress = (o: Parameters<ReadinessRule['check']>[0]): boolean => ((statusOf(o).loadBalancer?.ingress as unknown[] | undefined) ?? []).length > 0;

/**
 * Services and Ingresses are ready when they exist: their address comes from outside the
 * cluster (a cloud load balancer, an ingress controller) and may never come in a test or
 * private cluster. With the annotation `kubemin.dev/wait-for-address: "true"`, kubemin waits for it.
 */
export const serviceAndIngress: ReadinessRule = {
  name: 'service-and-ingress',
  description: 'Ready when it exists; with the annotation kubemin.dev/wait-for-address: "true", when its load balancer has an address',
  kinds: ['/Service', 'networking.k8s.io/Ingress'],
  check(o) {
    const asked = o.metadata.annotations?.[WAIT_FOR_ADDRESS] === 'true';
    const balanced = o.kind === 'Ingress' || specOf(o).type === 'LoadBalancer';
    if (!asked || !balanced) return ready('exists');
    return hasAddress(o) ? ready('has an address') : progressing('waiting for its load balancer address');
  },
};
