/**
 * The defaults that more than one place names (an option's default, the CLI's help, the code
 * that applies it), each defined once here and imported everywhere else.
 */

/** How long the watch daemon's Lease lasts without renewal: a replica takes over that long after the leader died. */
export const DEFAULT_LEASE_DURATION_MS = 15_000;

/** How often the leader renews the Lease (and how often the others read it). Shorter than the lease duration. */
export const DEFAULT_LEASE_RENEW_MS = 5_000;

/** Apps applied at once, by `kubemin apply` and by the watch daemon. */
export const DEFAULT_APP_CONCURRENCY = 4;

/** API requests of one app's apply, prune or diff in flight at once. */
export const DEFAULT_OBJECT_CONCURRENCY = 8;
