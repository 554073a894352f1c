// `kubemin init` as its own process, from source (tsx), for the pseudo-terminal test: a commander
// program with just the init command, until src/cli/main.ts registers it.
import { Command, CommanderError } from 'commander';
import { initCommand } from '../../src/cli/commands/init.js';
import { EXIT, processIo } from '../../src/cli/output.js';

const io = processIo();
let code: number = EXIT.ok;
const program = new Command('kubemin').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
program.addCommand(initCommand(io, (c) => void (code = c)).exitOverride());
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
} catch (err) {
  code = err instanceof CommanderError && err.exitCode === 0 ? EXIT.ok : EXIT.error;
  if (!(err instanceof CommanderError)) io.stderr(`kubemin: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
}
process.exitCode = code;
