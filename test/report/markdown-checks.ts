import { expect } from 'vitest';

/**
 * Checks that a piece of markdown is balanced: every code fence closed, `<details>` opened and
 * closed in order outside code blocks. Returns the lines outside code blocks.
 */
export function expectBalanced(text: string): string[] {
  let fence: string | null = null;
  let depth = 0;
  const outside: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) fence = null;
      continue;
    }
    if (m) {
      fence = m[1]!;
      continue;
    }
    outside.push(line);
    depth += (line.match(/<details[\s>]/g) ?? []).length;
    depth -= (line.match(/<\/details>/g) ?? []).length;
    expect(depth, `</details> before <details> in: ${line}`).toBeGreaterThanOrEqual(0);
  }
  expect(fence, 'an unclosed code fence').toBeNull();
  expect(depth, 'unclosed <details>').toBe(0);
  return outside;
}
