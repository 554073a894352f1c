import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitApp } from '../src/bundle/emit-bundle.js';
import { tempDir } from './helpers/cli.js';
import { caseDirs, compileDir, REPO } from './helpers/tree.js';

/**
 * kube-score (an outside linter, built once per machine by scripts/kube-score.sh into
 * ~/.cache/kubemin, like the test cluster's binaries) on the rendered examples: no more CRITICAL
 * findings than docs/kube-score.md records, each of which has its reason there.
 */
const SCRIPT = join(REPO, 'scripts/kube-score.sh');
const CACHE = process.env.KUBEMIN_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? '/root', '.cache'), 'kubemin');
const VERSION = /KUBE_SCORE_VERSION=(v[\d.]+)/.exec(readFileSync(SCRIPT, 'utf8'))![1]!;
const BIN = join(CACHE, 'kube-score', VERSION, 'kube-score');

/** The CRITICAL count recorded in docs/kube-score.md (the line `CRITICAL findings now: N`). */
function recorded(): number {
  const m = /CRITICAL findings now: \*\*(\d+)\*\*/.exec(readFileSync(join(REPO, 'docs/kube-score.md'), 'utf8'));
  if (!m) throw new Error('docs/kube-score.md records no "CRITICAL findings now: **N**"');
  return Number(m[1]);
}

describe('kube-score on the rendered examples', { timeout: 600_000 }, () => {
  it('finds no more CRITICAL problems than docs/kube-score.md records', async () => {
    if (!existsSync(BIN)) execFileSync('bash', [SCRIPT, 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const out = tempDir('kubemin-kube-score-');
    const reports = join(out, 'reports');
    mkdirSync(reports);
    for (const dir of caseDirs(join(REPO, 'examples'))) {
      const { apps, diagnostics } = await compileDir(dir);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      for (const app of apps) {
        const files = emitApp(app).files.map((f) => {
          const path = join(out, 'bundle', f.path);
          mkdirSync(join(path, '..'), { recursive: true });
          writeFileSync(path, f.text);
          return path;
        });
        let json: string;
        try {
          json = execFileSync(BIN, ['score', '--output-format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
        } catch (err) {
          // kube-score exits 1 when it finds something CRITICAL: its report is still on stdout.
          json = (err as { stdout?: string }).stdout ?? '';
        }
        writeFileSync(join(reports, `${app.name}.json`), json);
      }
    }
    const summary = execFileSync('node', [join(REPO, 'scripts/kube-score/summarize.mjs'), reports], { encoding: 'utf8' });
    const critical = Number(/^CRITICAL (\d+)$/m.exec(summary)![1]);
    // Not vacuous: kube-score graded the objects of every example (dozens of checks).
    expect(Number(/^GRADED (\d+)$/m.exec(summary)![1])).toBeGreaterThan(100);
    expect(summary).toMatch(/^shop /m);
    expect(critical, summary).toBeLessThanOrEqual(recorded());
  });
});
