import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { KubeconfigError } from '../cluster/http-client.js';
import { ClusterError } from '../cluster/types.js';
import { SpecPathError } from '../load/find-spec-files.js';
import { BundleDirError } from '../bundle/read-bundle-dir.js';
import { InventoryError } from '../inventory/inventory.js';
import { PluginLoadError } from '../plugins/extension-error.js';
import { applyCommand } from './commands/apply.js';
import { diffCommand } from './commands/diff.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { planCommand } from './commands/plan.js';
import { pluginsCommand } from './commands/plugins.js';
import { renderCommand } from './commands/render.js';
import { schemaCommand } from './commands/schema.js';
import { validateCommand } from './commands/validate.js';
import { watchCommand } from './commands/watch.js';
import { EXIT, processIo, type Io } from './output.js';

/** The package version, from the nearest package.json above this file (in src/ or build/src/). */
function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'kubemin' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

/** Runs the CLI and returns the exit code; only the bin entry calls process.exit. */
export async function runCli(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const setExit = (c: number): void => {
    code = c;
  };
  const program = new Command('kubemin')
    .description('GitOps compiler for Kubernetes: kubemin.yaml -> validated, phased manifest bundles')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError(true);
  for (const make of [validateCommand, renderCommand, planCommand, diffCommand, applyCommand, watchCommand, schemaCommand, pluginsCommand, initCommand, importCommand]) {
    program.addCommand(make(io, setExit).exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }));
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    if (err instanceof SpecPathError || err instanceof KubeconfigError || err instanceof ClusterError || err instanceof BundleDirError || err instanceof InventoryError || err instanceof PluginLoadError) {
      io.stderr(`kubemin: ${err.message}\n`);
      return EXIT.error;
    }
    io.stderr(`kubemin: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.error;
  }
}
