import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { importKubeminCli } from '../../src/import/kubemin-cli/import-kubemin-cli.js';
import { formatText } from '../../src/diagnostics/format-text.js';
import { placeProblems } from '../../src/import/kubemin-cli/diagnostics.js';
import { kubeminCliSecretPointers } from '../../src/import/kubemin-cli/secrets.js';
import { caseDirs, REPO, UPDATE_GOLDEN } from '../helpers/tree.js';

/**
 * Each case in fixtures/import/kubemin-cli/<case>/ is a KubeMin-Cli application (app.json) with
 * the reviewed kubemin.yaml it converts to (expected.kubemin.yaml) and the warnings the command
 * prints (expected.warnings.txt: each at file:line:col of app.json, with its code frame). After a deliberate change: UPDATE_GOLDEN=1, then review the diff.
 */
const ROOT = join(REPO, 'fixtures/import/kubemin-cli');
const cases = caseDirs(ROOT);

function convert(dir: string) {
  return importKubeminCli(JSON.parse(readFileSync(join(dir, 'app.json'), 'utf8')), { file: 'app.json' });
}

/** The warnings as `kubemin import` prints them. */
function warningsText(dir: string, result: ReturnType<typeof convert>): string {
  const text = readFileSync(join(dir, 'app.json'), 'utf8');
  const placed = placeProblems({ path: 'app.json', text }, result, kubeminCliSecretPointers(JSON.parse(text)));
  return placed.diagnostics.length ? formatText(placed.diagnostics, placed.sources) : '';
}

describe('kubemin import kubemin-cli: golden cases', () => {
  it('has a case per trait and workflow form', () => {
    expect(cases.map((c) => basename(c))).toEqual([
      'bookstore',
      'env',
      'ingress',
      'init-sidecar',
      'no-workflow-legacy',
      'rbac',
      'resources-probes',
      'storage',
      'workflow-dag',
      'workflow-step-by-step',
    ]);
  });

  for (const dir of cases) {
    const name = basename(dir);
    it(`${name}: converts to expected.kubemin.yaml with the expected warnings`, () => {
      const result = convert(dir);
      expect(result.errors).toEqual([]);
      const warnings = warningsText(dir, result);
      if (UPDATE_GOLDEN) {
        writeFileSync(join(dir, 'expected.kubemin.yaml'), result.spec);
        writeFileSync(join(dir, 'expected.warnings.txt'), warnings);
      }
      expect(existsSync(join(dir, 'expected.kubemin.yaml')), 'missing golden: UPDATE_GOLDEN=1, then review').toBe(true);
      expect(result.spec).toBe(readFileSync(join(dir, 'expected.kubemin.yaml'), 'utf8'));
      expect(warnings).toBe(readFileSync(join(dir, 'expected.warnings.txt'), 'utf8'));
    });

    it(`${name}: expected.kubemin.yaml passes kubemin's own validation`, () => {
      const text = readFileSync(join(dir, 'expected.kubemin.yaml'), 'utf8');
      const compiled = compile([{ path: 'kubemin.yaml', text }]);
      expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(compiled.apps).toHaveLength(1);
    });

    it(`${name}: converting is deterministic`, () => {
      expect(convert(dir)).toEqual(convert(dir));
    });
  }
});
