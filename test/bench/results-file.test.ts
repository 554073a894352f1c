import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/cli.js';

/** bench/results.json after a run of some sections: theirs replaced, the others' kept and marked with their run. */
describe('bench results file', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("a partial run replaces its sections' figures and keeps the rest, marked with the run they came from", async () => {
    const path = join(tempDir('kubemin-results-'), 'results.json');
    const figure = (id: string, section: string, value: number) => ({ id, section, what: id, unit: 'ms', value });
    writeFileSync(
      path,
      JSON.stringify({
        commit: 'abc1234',
        date: '2026-12-01T00:00:00.000Z',
        machine: {},
        sections: ['startup', 'apply'],
        figures: [figure('startup.version', 'startup', 70), figure('apply.wait', 'apply', 9)],
      }),
    );
    vi.stubEnv('KUBEMIN_BENCH_RESULTS', path);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { recordFigure, writeResults } = await import('../../bench/results.js');
    recordFigure(figure('apply.wait', 'apply', 5) as Parameters<typeof recordFigure>[0]);
    writeResults(['apply']);
    log.mockRestore();
    const written = JSON.parse(readFileSync(path, 'utf8')) as {
      sections: string[];
      figures: Array<{ id: string; value: number; run?: { commit: string; date: string } }>;
    };
    expect(written.sections).toEqual(['startup', 'apply']);
    expect(written.figures.map((f) => [f.id, f.value, f.run?.commit ?? 'this run'])).toEqual([
      ['startup.version', 70, 'abc1234'],
      ['apply.wait', 5, 'this run'],
    ]);
  });
});
