import { Command } from 'commander';
import { dirname, relative, resolve } from 'node:path';
import { readSpecFiles } from '../../load/find-spec-files.js';
import { describePlugin, type PluginSet } from '../../plugins/plugin-set.js';
import { findPluginConfig, PluginResolver } from '../../plugins/load-plugins.js';
import { EXIT, type Io } from '../output.js';

function describeSet(set: PluginSet): string[] {
  const lines: string[] = [];
  for (const loaded of set.plugins) {
    const p = loaded.plugin;
    lines.push(`  ${describePlugin(loaded)}`);
    const row = (what: string, names: readonly string[]): void => void (names.length && lines.push(`    ${what}: ${names.join(', ')}`));
    row('component types', (p.componentTypes ?? []).map((d) => d.name));
    row('traits', (p.traits ?? []).map((d) => d.name));
    row('step types', (p.stepTypes ?? []).map((d) => `${d.name}${d.execute ? '' : ' (plan only)'}`));
  }
  return lines;
}

export function pluginsCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('plugins')
    .description('list the plugins (and built-ins) the specs under the paths are compiled with, and where each comes from')
    .argument('[paths...]', 'files or directories to search for specs', ['.'])
    .action(async (paths: string[]) => {
      const cwd = process.cwd();
      const files = await readSpecFiles(paths, cwd);
      // The directories to look from: every spec file's, and the paths themselves (specs or not).
      const dirs = [...new Set([...paths.map((p) => resolve(cwd, p)), ...files.map((f) => dirname(resolve(cwd, f.path)))])];
      const configs = new Map<string, string[]>();
      for (const dir of dirs) {
        const config = findPluginConfig(dir) ?? '';
        const users = files.filter((f) => findPluginConfig(dirname(resolve(cwd, f.path))) === (config || undefined)).map((f) => f.path);
        configs.set(config, users);
      }
      const resolver = new PluginResolver();
      const out: string[] = [];
      for (const [config, users] of [...configs].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const set = await resolver.forDir(config ? dirname(config) : cwd);
        out.push(config ? `${relative(cwd, config) || config}:` : 'no kubemin.config (built-ins only):');
        out.push(...describeSet(set));
        if (users.length) out.push(`    used by: ${users.join(', ')}`);
      }
      io.stdout(out.join('\n') + '\n');
      setExit(EXIT.ok);
    });
}
