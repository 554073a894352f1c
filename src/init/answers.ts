import type { ComponentTypeDef } from '../expand/types.js';

/** What `kubemin init` needs to write a kubemin.yaml: from the questions, or from the flags. */
export interface InitAnswers {
  readonly name: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
  /** In deploy order; at least one. */
  readonly components: readonly ComponentAnswer[];
  /** How many of the last components are deployed together, in one parallel step (0 or 1: all serial). */
  readonly parallelLast: number;
}

export interface ComponentAnswer {
  readonly name: string;
  /** A key of the registry's component types. */
  readonly type: string;
  /** For types that need an image. */
  readonly image?: string;
  /** For types that expose their ports through a Service. */
  readonly port?: number;
  /** For types that run on a schedule. */
  readonly schedule?: string;
}

/** The answers a component type needs besides name and type, derived from its table entry. */
export interface TypeNeeds {
  readonly image: boolean;
  readonly port: boolean;
  readonly schedule: boolean;
}

export function needsOf(type: ComponentTypeDef): TypeNeeds {
  const required = type.required ?? [];
  return {
    image: required.includes('image'),
    port: type.capabilities.service,
    schedule: required.includes('schedule'),
  };
}

export const DEFAULT_TYPE = 'webservice';
export const DEFAULT_PORT = 8080;
export const DEFAULT_SCHEDULE = '@daily';
