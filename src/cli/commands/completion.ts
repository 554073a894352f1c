import { Argument, Command } from 'commander';
import { EXIT, type Io } from '../output.js';
import type { Shell } from '../completion/scripts.js';

export function completionCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('completion')
    .description('print the shell completion script (commands, flags, app and environment names): source <(kubemin completion bash)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: Shell) => {
      const { completionScript } = await import('../completion/scripts.js');
      io.stdout(completionScript(shell));
      setExit(EXIT.ok);
    });
}
