import type { PodSecurityLevel } from '../../spec/types.js';

/**
 * The Kubernetes Pod Security Standards as checks of a pod spec, the way the API server's
 * PodSecurity admission makes them (k8s.io/pod-security-admission/policy, v1.36): one file per
 * control in checks/, one line in the table of checks/index.ts.
 */

/** The version of the standards these checks implement: what a created Namespace pins. */
export const POD_SECURITY_VERSION = 'v1.36';

/** A pod's metadata and spec, as found in a Pod or a workload's template (loosely typed: any producer's). */
export interface CheckedPod {
  readonly annotations: Readonly<Record<string, string>>;
  readonly spec: PodSpecLike;
}

export type PodSpecLike = Record<string, any>;
export type ContainerLike = Record<string, any>;

/** Where in the pod a violation is: what the spec pointer is looked up from. */
export type ViolationSite =
  | { readonly on: 'pod'; readonly field: readonly string[] }
  | { readonly on: 'container'; readonly container: string; readonly field: readonly string[] }
  | { readonly on: 'volume'; readonly volume: string }
  | { readonly on: 'annotation'; readonly key: string };

export interface Violation {
  /** The control of the standard, as its documentation names it: `Running as Non-root user`. */
  readonly control: string;
  /** What is not allowed, as the spec would write it: `runAsUser: 0`. */
  readonly what: string;
  /** How to comply at the level checked. */
  readonly fix: string;
  /** The least restrictive level that allows it. */
  readonly allowedBy: Exclude<PodSecurityLevel, 'restricted'>;
  readonly site: ViolationSite;
}

/** The levels checks run at (privileged has no checks). */
type CheckedLevel = Exclude<PodSecurityLevel, 'privileged'>;

export interface PodSecurityCheck {
  /** The control's name in the standards. */
  readonly control: string;
  /** The least restrictive level the control belongs to: a baseline control is checked at baseline and restricted. */
  readonly level: CheckedLevel;
  check(pod: CheckedPod, level: CheckedLevel): Violation[];
}
