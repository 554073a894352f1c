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
export class PluginLoadError extends Error {
  override readonly name = 'PluginLoadError';
}
