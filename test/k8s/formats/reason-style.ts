import { expect } from 'vitest';

/** Reasons go into diagnostics mid-sentence: lowercase start, one line, no trailing period. */
export function expectReasonStyle(reason: string): void {
  expect(reason).not.toBe('');
  expect(reason, reason).not.toMatch(/^[A-Z]/);
  expect(reason, reason).not.toMatch(/\.$/);
  expect(reason, reason).not.toMatch(/\n/);
}
