import { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { EXIT, type Io } from '../output.js';

export function schemaCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('schema')
    .description('print the JSON Schema of kubemin.yaml (for editors: yaml-language-server), with the plugins declared for DIR')
    .argument('[dir]', 'directory whose plugins (the nearest kubemin.config above it) are included', '.')
    .action(async (dir: string) => {
      const info = await stat(dir).catch(() => undefined);
      if (!info?.isDirectory()) {
        io.stderr(
          `kubemin schema: ${dir}: ${info ? 'not a directory' : 'no such directory'} (name the directory whose kubemin.config declares the plugins, or none for the built-ins)\n`,
        );
        setExit(EXIT.error);
        return;
      }
      const { PluginResolver } = await import('../../plugins/load-plugins.js');
      const { buildEditorSchema } = await import('../../spec/editor-schema.js');
      const { registry } = await new PluginResolver().forDir(dir);
      io.stdout(JSON.stringify(buildEditorSchema(registry), null, 2) + '\n');
      setExit(EXIT.ok);
    });
}
