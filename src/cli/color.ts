/**
 * Whether to write colour to a stream: decided per stream (`kubemin diff > file` on a terminal
 * writes no escape codes into the file, while its stderr stays coloured). FORCE_COLOR (set, not
 * empty, not `0` or `false`) forces it on and wins over NO_COLOR, as in Node itself; NO_COLOR
 * (set, not empty: no-color.org) turns it off; otherwise colour when the stream is a terminal and
 * TERM is not `dumb`.
 */
export function colorFor(stream: { readonly isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}
