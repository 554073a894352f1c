import { Command } from 'commander';
import { PluginResolver } from '../../plugins/load-plugins.js';
import { buildSchema } from '../../spec/build-schema.js';
import { EXIT, type Io } from '../output.js';

export function schemaCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('schema')
    .description('print the JSON Schema of kubemin.yaml (for editors: yaml-language-server), with the plugins declared for DIR')
    .argument('[dir]', 'directory whose plugins (the nearest kubemin.config above it) are included', '.')
    .action(async (dir: string) => {
      const { registry } = await new PluginResolver().forDir(dir);
      io.stdout(JSON.stringify(buildSchema(registry), null, 2) + '\n');
      setExit(EXIT.ok);
    });
}
