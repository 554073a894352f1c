/**
 * Shared by the format checks: shows a user-supplied value inside a reason string.
 * JSON quoting makes spaces, tabs, control characters and the empty string visible;
 * long values are cut so that one bad value cannot flood a diagnostic.
 */
export function quote(value: string, max = 64): string {
  const chars = Array.from(value);
  if (chars.length <= max) return JSON.stringify(value);
  return `${JSON.stringify(chars.slice(0, max - 1).join('')).slice(0, -1)}…"`;
}

/** "a", "a or b", "a, b or c" (or with "and"). */
export function orList(items: readonly string[], conjunction: 'or' | 'and' = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** "a, b, c and 3995 more": the first items of a list of `total`, so that a message stays one line however big the input. */
export function someOf(first: readonly string[], total: number, conjunction: 'or' | 'and' = 'or'): string {
  return total > first.length ? `${first.join(', ')} ${conjunction} ${total - first.length} more` : orList(first, conjunction);
}
