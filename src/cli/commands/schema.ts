import { Command } from 'commander';
import { builtinRegistry } from '../../registry.js';
import { buildSchema } from '../../spec/build-schema.js';
import { EXIT, type Io } from '../output.js';

export function schemaCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('schema')
    .description('print the JSON Schema of kubemin.yaml (for editors: yaml-language-server)')
    .action(() => {
      io.stdout(JSON.stringify(buildSchema(builtinRegistry), null, 2) + '\n');
      setExit(EXIT.ok);
    });
}
