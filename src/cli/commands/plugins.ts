import { Command } from 'commander';
import { dirname, relative, resolve } from 'node:path';
import type { describePlugin as DescribePlugin, PluginSet } from '../../plugins/plugin-set.js';
import { EXIT, type Io } from '../output.js';

function describeSet(set: PluginSet, describePlugin: typeof DescribePlugin): string[] {
  const lines: string[] = [];
  for (const loaded of set.plugins) {
    const p = loaded.plugin;
    lines.push(`  ${describePlugin(loaded)}`);
    const row = (what: string, names: readonly string[]): void => void (names.length && lines.push(`    ${what}: ${names.join(', ')}`));
    row(
      'component types',
      (p.componentTypes ?? []).map((d) => d.name),
    );
    row(
      'traits',
      (p.traits ?? []).map((d) => d.name),
    );
    row(
      'step types',
      (p.stepTypes ?? []).map((d) => `${d.name}${d.execute ? '' : ' (plan only)'}`),
    );
  }
  return lines;
}

export function pluginsCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('plugins')
    .description('list the plugins (and built-ins) the specs under the paths are compiled with, and where each comes from')
    .argument('[paths...]', 'files or directories to search for specs', ['.'])
    .action(async (paths: string[]) => {
      const { readSpecFiles } = await import('../../files/find-spec-files.js');
      const { builtinPluginSet, describePlugin } = await import('../../plugins/plugin-set.js');
      const { commandLineBoundary, findPluginConfig, PluginResolver } = await import('../../plugins/load-plugins.js');
      const cwd = process.cwd();
      const files = await readSpecFiles(paths, cwd);
      // The config of each path given (specs or not), and of each spec file under them.
      const configs = new Map<string, string[]>();
      const note = (config: string | undefined, user?: string): void => {
        const users = configs.get(config ?? '') ?? [];
        if (user) users.push(user);
        configs.set(config ?? '', users);
      };
      for (const p of paths) note(findPluginConfig(await commandLineBoundary(p, paths, cwd)));
      for (const f of files) note(findPluginConfig(dirname(resolve(cwd, f.path)), await commandLineBoundary(f.path, paths, cwd)), f.path);
      const resolver = new PluginResolver();
      const out: string[] = [];
      for (const [config, users] of [...configs].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const set = config ? await resolver.forConfig(config) : builtinPluginSet;
        out.push(config ? `${relative(cwd, config) || config}:` : 'no kubemin.config (built-ins only):');
        out.push(...describeSet(set, describePlugin));
        if (users.length) out.push(`    used by: ${users.join(', ')}`);
      }
      await resolver.close();
      io.stdout(out.join('\n') + '\n');
      setExit(EXIT.ok);
    });
}
