// The CLI as its own process, from source (tsx): for tests that signal or kill it.
import { runCli } from '../../src/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2));
