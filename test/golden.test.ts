import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleTree, caseDirs, compileDir, readTree, REPO, UPDATE_GOLDEN, writeTree } from './helpers/tree.js';

/**
 * Each case renders to a reviewed bundle: fixtures/render/<case>/expected/, and for the examples
 * fixtures/examples/<example>/expected/. Regenerate with UPDATE_GOLDEN=1 and review the diff.
 */
const cases = [
  ...caseDirs(join(REPO, 'fixtures/render')).map((dir) => ({ dir, expected: join(dir, 'expected') })),
  ...caseDirs(join(REPO, 'examples')).map((dir) => ({ dir, expected: join(REPO, 'fixtures/examples', basename(dir), 'expected') })),
];

describe('golden bundles', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  for (const c of cases) {
    it(`${c.dir.slice(REPO.length + 1)} renders to its expected bundle`, async () => {
      const result = await compileDir(c.dir);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const actual = bundleTree(result.apps);
      expect(actual.size).toBeGreaterThan(0);
      if (UPDATE_GOLDEN) writeTree(c.expected, actual);
      expect(existsSync(c.expected), `missing ${c.expected}: run UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts`).toBe(true);
      const expected = readTree(c.expected);
      expect([...actual.keys()]).toEqual([...expected.keys()]);
      for (const [path, text] of actual) expect(text, path).toBe(expected.get(path));
    });
  }
});
