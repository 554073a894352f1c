import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The rules that keep the compiler core pure are real: the repository's own ESLint config
 * (eslint.config.js) refuses I/O, clocks, randomness, process state and edge code in a core file,
 * and lets an edge file do them. (Each probe is linted as the text of an existing file, so that the
 * type-aware rules find it in the project.) (`npm run lint` runs it over the tree; CI runs that.)
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function rulesHit(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.line}:${m.ruleId ?? 'parse'}`);
}

const IMPURE = `import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { diffApps } from '../cluster/diff-apps.js';
export const a = readFileSync('x', 'utf8');
export const b = spawnSync('ls');
export const c = Date.now() + new Date().getTime() + Math.random();
export const d = process.env.HOME;
export const e = diffApps;
`;

describe('ESLint keeps the compiler core pure', () => {
  it('refuses file system, child processes, edge code, the clock, randomness and process state in a core folder', async () => {
    const hits = await rulesHit('src/expand/labels.ts', IMPURE);
    expect(hits).toEqual([
      '1:@typescript-eslint/no-restricted-imports',
      '2:@typescript-eslint/no-restricted-imports',
      '3:@typescript-eslint/no-restricted-imports',
      '6:no-restricted-syntax',
      '6:no-restricted-syntax',
      '6:no-restricted-properties',
      '7:no-restricted-globals',
    ]);
  }, 120_000);

  it('lets the core name an edge interface as a type, and parse a timestamp', async () => {
    const code = `import type { ClusterClient } from '../cluster/types.js';
export const f = (c: ClusterClient, t: string): [ClusterClient, number] => [c, Date.parse(t)];
`;
    expect(await rulesHit('src/diff/normalize.ts', code)).toEqual([]);
  }, 120_000);

  it('lets an edge folder do I/O', async () => {
    expect(await rulesHit('src/files/find-spec-files.ts', IMPURE)).toEqual([]);
  }, 120_000);

  it('wants every case of a union handled and no promise left floating', async () => {
    const code = `type Shape = 'circle' | 'square';
export function sides(s: Shape): number {
  switch (s) {
    case 'circle':
      return 0;
  }
  return -1;
}
export function later(): void {
  Promise.resolve(1);
}
`;
    expect(await rulesHit('src/watch/daemon.ts', code)).toEqual([
      '3:@typescript-eslint/switch-exhaustiveness-check',
      '10:@typescript-eslint/no-floating-promises',
    ]);
  }, 120_000);
});
