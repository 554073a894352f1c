#!/usr/bin/env node
// The CLI as `npm run build` bundles it (scripts/build-cli.mjs: build/cli/).
import { runCli } from '../build/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2));
