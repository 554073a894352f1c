import { dirname, relative, resolve } from 'node:path';
import { readSpecFiles } from '../files/find-spec-files.js';
import { commandLineBoundary, findPluginConfig, PluginResolver } from '../plugins/load-plugins.js';
import { builtinPluginSet, type PluginSet } from '../plugins/plugin-set.js';

interface PluginSummary {
  readonly name: string;
  /** `built-in`, a path or an npm package. */
  readonly source: string;
  readonly componentTypes: readonly string[];
  readonly traits: readonly string[];
  readonly stepTypes: ReadonlyArray<{ readonly name: string; readonly planOnly: boolean }>;
  /** The readiness rules it gives, and the kinds (`group/Kind`) each says is ready. */
  readonly readiness: ReadonlyArray<{ readonly name: string; readonly kinds: readonly string[] }>;
}

export interface PluginConfigUse {
  /** The kubemin.config, relative to the working directory; null: none (the built-ins only). */
  readonly config: string | null;
  /** The built-in plugin first, then the config's in their order. */
  readonly plugins: readonly PluginSummary[];
  /** The spec files compiled with it. */
  readonly usedBy: readonly string[];
}

export interface ListPluginsOptions {
  readonly paths: readonly string[];
  readonly cwd?: string;
}

function summarize(set: PluginSet): PluginSummary[] {
  return set.plugins.map(({ plugin: p, source }) => ({
    name: p.name,
    source,
    componentTypes: (p.componentTypes ?? []).map((d) => d.name),
    traits: (p.traits ?? []).map((d) => d.name),
    // Step type names are unique across a set's plugins: whichever executor runs it is this one's.
    stepTypes: (p.stepTypes ?? []).map((d) => ({ name: d.name, planOnly: !set.executors.some((e) => e.stepType === d.name) })),
    readiness: (p.readiness ?? []).map((r) => ({ name: r.name, kinds: [...r.kinds] })),
  }));
}

/**
 * `kubemin plugins`: the plugin configs that the paths given, and each spec file under them, are
 * compiled with (the nearest kubemin.config, as compiling finds it), each with its plugins and the
 * spec files that use it; sorted by config path, no config first.
 */
export async function listPlugins(opts: ListPluginsOptions): Promise<PluginConfigUse[]> {
  const cwd = opts.cwd ?? process.cwd();
  const { paths } = opts;
  const files = await readSpecFiles(paths, cwd);
  const configs = new Map<string, string[]>();
  const note = (config: string | undefined, user?: string): void => {
    const users = configs.get(config ?? '') ?? [];
    if (user) users.push(user);
    configs.set(config ?? '', users);
  };
  for (const p of paths) note(findPluginConfig(resolve(cwd, await commandLineBoundary(p, paths, cwd))));
  for (const f of files) note(findPluginConfig(dirname(resolve(cwd, f.path)), resolve(cwd, await commandLineBoundary(f.path, paths, cwd))), f.path);
  const resolver = new PluginResolver();
  try {
    const uses: PluginConfigUse[] = [];
    for (const [config, usedBy] of [...configs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const set = config ? await resolver.forConfig(config) : builtinPluginSet;
      uses.push({ config: config ? relative(cwd, config) || config : null, plugins: summarize(set), usedBy });
    }
    return uses;
  } finally {
    await resolver.close();
  }
}
