import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output (no colour), from `cwd`. */
export async function cli(args: string[], cwd?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const prev = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await runCli(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), color: false });
    return { code, stdout, stderr };
  } finally {
    if (cwd) process.chdir(prev);
  }
}

export function tempDir(prefix = 'kubemin-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
