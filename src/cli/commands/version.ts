import { Command } from 'commander';
import { EXIT, type Io } from '../output.js';
import { formatStructured, OUTPUT_FORMATS, outputOption, type OutputFormat } from '../output-format.js';
import { packageVersion } from '../package-version.js';

interface VersionFlags {
  kubeconfig?: string;
  context?: string;
  client: boolean;
  output: OutputFormat;
}

export function versionCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('version')
    .description("print kubemin's version, and the API server's when a kubeconfig is given or found (--kubeconfig, KUBECONFIG, ~/.kube/config)")
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('--client', "only kubemin's version: do not ask the server", false)
    .addOption(outputOption(OUTPUT_FORMATS))
    .action(async (opts: VersionFlags) => {
      const { version } = await import('../../operations/version.js');
      const result = await version({
        clientVersion: packageVersion(),
        ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
        ...(opts.context ? { context: opts.context } : {}),
        clientOnly: opts.client,
      });
      const { clientVersion, serverVersion, serverError } = result;
      if (opts.output === 'text') {
        io.stdout(`Client Version: ${clientVersion.gitVersion}\n${serverVersion ? `Server Version: ${serverVersion.gitVersion}\n` : ''}`);
      } else {
        io.stdout(formatStructured(opts.output, { clientVersion, ...(serverVersion ? { serverVersion } : {}) }));
      }
      if (serverError) io.stderr(`kubemin: the server's version: ${serverError.message}\n`);
      setExit(serverError ? serverError.exitCode : EXIT.ok);
    });
}
