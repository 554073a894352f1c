import { Command } from 'commander';
import type { PluginConfigUse } from '../../operations/plugins.js';
import { EXIT, type Io } from '../output.js';
import { formatStructured, OUTPUT_FORMATS, outputOption, type OutputFormat } from '../output-format.js';

/** One block per config: its plugins, what each defines, and the spec files using it. */
function formatPluginsText(uses: readonly PluginConfigUse[]): string {
  const out: string[] = [];
  for (const use of uses) {
    out.push(use.config !== null ? `${use.config}:` : 'no kubemin.config (built-ins only):');
    for (const p of use.plugins) {
      out.push(`  plugin "${p.name}" (${p.source})`);
      const row = (what: string, names: readonly string[]): void => void (names.length && out.push(`    ${what}: ${names.join(', ')}`));
      row('component types', p.componentTypes);
      row('traits', p.traits);
      row(
        'step types',
        p.stepTypes.map((s) => `${s.name}${s.planOnly ? ' (plan only)' : ''}`),
      );
      row(
        'readiness',
        p.readiness.map((r) => `${r.name} (${r.kinds.join(', ')})`),
      );
    }
    if (use.usedBy.length) out.push(`    used by: ${use.usedBy.join(', ')}`);
  }
  return out.join('\n') + '\n';
}

export function pluginsCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('plugins')
    .description('list the plugins (and built-ins) the specs under the paths are compiled with, and where each comes from')
    .argument('[paths...]', 'files or directories to search for specs', ['.'])
    .addOption(outputOption(OUTPUT_FORMATS))
    .action(async (paths: string[], opts: { output: OutputFormat }) => {
      const { listPlugins } = await import('../../operations/plugins.js');
      const uses = await listPlugins({ paths });
      io.stdout(opts.output === 'text' ? formatPluginsText(uses) : formatStructured(opts.output, { configs: uses }));
      setExit(EXIT.ok);
    });
}
