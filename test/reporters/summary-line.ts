import type { Reporter, RunnerTestFile, RunnerTask } from 'vitest/node';

/**
 * Ends every run with one plain line, `N passed, N failed` (`, N skipped` when any), which CI
 * reads as the test summary whatever the runner. Registered after the default reporter, and on
 * `onFinished`, the last hook of a run, so that it is the last line printed.
 */
export default class SummaryLine implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    const visit = (task: RunnerTask): void => {
      if (task.type === 'suite') {
        task.tasks.forEach(visit);
        if (task.result?.state === 'fail' && !task.tasks.length) count.failed++;
        return;
      }
      const state = task.result?.state;
      if (state === 'pass') count.passed++;
      else if (state === 'fail') count.failed++;
      else count.skipped++;
    };
    files.forEach(visit);
    count.failed += errors.length;
    setImmediate(() => {
      process.stdout.write(`\n${count.passed} passed, ${count.failed} failed${count.skipped ? `, ${count.skipped} skipped` : ''}\n`);
    });
  }
}
