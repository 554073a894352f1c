import { runCli } from '/work/main/src/cli/main.js';
process.exitCode = await runCli(process.argv.slice(2));
