import { Command } from 'commander';
import { EXIT, type Io } from '../output.js';
import { formatStructured, outputOption } from '../output-format.js';

export function schemaCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('schema')
    .description('print the JSON Schema of kubemin.yaml (for editors: yaml-language-server), with the plugins declared for DIR')
    .argument('[dir]', 'directory whose plugins (the nearest kubemin.config above it) are included', '.')
    .addOption(outputOption(['json', 'yaml'] as const))
    .action(async (dir: string, opts: { output: 'json' | 'yaml' }) => {
      const { editorSchema } = await import('../../operations/schema.js');
      const outcome = await editorSchema({ dir });
      switch (outcome.kind) {
        case 'not-a-directory':
          io.stderr(
            `kubemin schema: ${dir}: ${outcome.exists ? 'not a directory' : 'no such directory'} (name the directory whose kubemin.config declares the plugins, or none for the built-ins)\n`,
          );
          setExit(EXIT.error);
          return;
        case 'schema':
          io.stdout(formatStructured(opts.output, outcome.schema));
          setExit(EXIT.ok);
          return;
        default: {
          const never: never = outcome;
          throw new Error(`unknown outcome ${JSON.stringify(never)}`);
        }
      }
    });
}
