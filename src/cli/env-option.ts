import { Option } from 'commander';
import type { Io } from './output.js';

/** `--env NAME`, as render, plan, diff and apply take it. */
export function envOption(what: string): Option {
  return new Option('--env <name>', `only this environment: the apps without environments and each app's variant for it (${what})`);
}

/** One line on stderr per app that has environments but not the one asked for: `books: no environment "dev", not rendered`. */
export function reportSkipped(io: Io, skipped: readonly string[], env: string | undefined, verb: string): void {
  for (const app of skipped) io.stderr(`${app}: no environment "${env}", not ${verb}\n`);
}
