import { KubeminError } from '../errors/kubemin-error.js';
/** A plugin's function threw, or returned something that is not what kubemin asked for. */
export class ExtensionError extends Error {
  override readonly name = 'ExtensionError';
  constructor(
    /** `plugin ai (./plugins/ai.mjs)` */
    readonly origin: string,
    /** `component type "ai-eval"` */
    readonly what: string,
    message: string,
  ) {
    super(`${what} of ${origin}: ${message}`);
  }
}

/** A plugin could not be loaded, or clashes with another: an error at load time, before anything is compiled. */
export class PluginLoadError extends KubeminError {
  override readonly name: string = 'PluginLoadError';
}

/**
 * A plugin's code failed to load: it threw, looped, ran out of memory or tried to exit while its
 * modules were imported. Compiling reports it as a `plugin-failed` diagnostic on the spec files
 * the config applies to (exit 1); elsewhere (schema, plugins, apply) it is a PluginLoadError.
 */
export class PluginLoadFault extends PluginLoadError {
  override readonly name = 'PluginLoadFault';
  constructor(
    /** The config (or the daemon's plugin list) whose plugins failed. */
    readonly config: string,
    message: string,
  ) {
    super(message);
  }
}

/** A call of a plugin's function gave no value: the message says why (it threw, did not return in time, ran out of memory...). */
export class PluginCallError extends Error {
  override readonly name = 'PluginCallError';
}
