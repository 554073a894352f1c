import type { Problems } from './problems.js';

export type KcComponentKind = 'webservice' | 'store' | 'config' | 'secret';
export const COMPONENT_KINDS: readonly KcComponentKind[] = ['webservice', 'store', 'config', 'secret'];

/** What converters may need to know about any component of the application. */
export interface ComponentInfo {
  /** The kubemin name (lowercased). */
  readonly name: string;
  /** As KubeMin-Cli's input writes it. */
  readonly inputName: string;
  readonly type: KcComponentKind | undefined;
  /** Its Service ports (KubeMin-Cli makes a Service for any component with ports). */
  readonly ports: readonly number[];
  /** `/component/<i>`. */
  readonly pointer: string;
}

export interface AppInfo {
  readonly name: string;
  /** The namespace every object goes to ("default" when the input has none). */
  readonly namespace: string;
  readonly components: readonly ComponentInfo[];
}

export type ContainerRole = 'main' | 'init' | 'sidecar';

/** Where a trait converter is: the app, the component, and the container the traits are on. */
export interface ConvertContext {
  readonly problems: Problems;
  readonly app: AppInfo;
  readonly component: ComponentInfo;
  readonly container: { readonly role: ContainerRole; readonly name: string };
  /** Component policies a converted trait needs (cluster-scoped RBAC), filled in by the converters. */
  readonly policies: { allowClusterScope?: boolean };
  /** Converts the traits of an init or sidecar container (nested traits). */
  readonly convertTraits: (raw: unknown, pointer: string, container: { role: ContainerRole; name: string }) => Record<string, unknown> | undefined;
}
