/**
 * Where a scalar that is the value of a key in a mapping is written, read from the text alone:
 * `mapping` is the offset of the mapping (of its first key, or of its `{`), which the fast parser
 * records. Used for objects whose source is a switch such as `createNamespace: true` or
 * `policies: {networkIsolation: true}`, so that placing them needs no second parse of the file.
 *
 * Only the plain cases are answered, and each is checked against the value the parser read. In a
 * block mapping, the key is found at the start of a line at its first key's column; in a flow
 * mapping, at its top level. A quoted or complex key, a value on another line, an anchor, alias,
 * tag or block scalar, a value written otherwise than `String(value)` (or quoted on one line)
 * give undefined, and the caller asks the exact parse instead.
 */
export function scalarOffset(text: string, mapping: number, key: string, value: string | number | boolean | null): number | undefined {
  if (text[mapping] === '{') return inFlowMapping(text, mapping, key, value);
  if (text[mapping] === '[') return undefined;
  const indent = mapping - (text.lastIndexOf('\n', mapping - 1) + 1);
  let at = mapping;
  for (;;) {
    if (text.startsWith(key, at) && text[at + key.length] === ':') return valueAt(text, at + key.length + 1, value, false);
    at = nextLineAt(text, at, indent);
    if (at < 0) return undefined;
  }
}

/** The next line, after the one holding `from`, that starts with content at column `indent`; -1 when the mapping ends first. */
function nextLineAt(text: string, from: number, indent: number): number {
  let nl = text.indexOf('\n', from);
  while (nl >= 0) {
    const start = nl + 1;
    let c = start;
    while (text[c] === ' ') c++;
    const ch = text[c];
    const blank = ch === undefined || ch === '\n' || ch === '\r' || ch === '#';
    if (!blank) {
      const col = c - start;
      if (col < indent) return -1;
      if (col === indent && (text.startsWith('---', c) || text.startsWith('...', c))) return -1;
      // A sequence at the keys' column is the value of the key before it, not a key.
      if (col === indent && !(ch === '-' && /\s/.test(text[c + 1] ?? ' '))) return c;
    }
    nl = text.indexOf('\n', start);
  }
  return -1;
}

/** The key at the top level of the flow mapping opened at `open`, then its value. */
function inFlowMapping(text: string, open: number, key: string, value: string | number | boolean | null): number | undefined {
  let depth = 0;
  let atKey = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      if (depth === 1 && atKey) return undefined; // a quoted key
      i = quoteEnd(text, i);
      if (i < 0) return undefined;
    } else if (c === '{' || c === '[') {
      depth++;
      atKey = depth === 1;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return undefined;
    } else if (c === '#' && /\s/.test(text[i - 1] ?? ' ')) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return undefined;
      i = nl;
    } else if (depth === 1 && c === ',') {
      atKey = true;
    } else if (depth === 1 && atKey && !/\s/.test(c)) {
      atKey = false;
      if (text.startsWith(key, i) && text[i + key.length] === ':') return valueAt(text, i + key.length + 1, value, true);
    }
  }
  return undefined;
}

/** The offset of the value after `key:` if it is written plainly on the same line and reads as `value`. */
function valueAt(text: string, afterColon: number, value: string | number | boolean | null, flow: boolean): number | undefined {
  if (text[afterColon] !== ' ' && text[afterColon] !== '\t') return undefined;
  let v = afterColon;
  while (text[v] === ' ' || text[v] === '\t') v++;
  const first = text[v];
  if (first === '"' || first === "'") {
    const end = quoteEnd(text, v);
    if (end < 0 || text.slice(v, end).includes('\n')) return undefined;
    return quoted(text.slice(v, end + 1)) === value ? v : undefined;
  }
  const rest = text.slice(v, lineEnd(text, v));
  const written = rest.slice(0, endOfPlain(rest, flow)).replace(/\s+$/, '');
  if (!written || '&*!|>#{[,}]'.includes(written[0]!)) return undefined;
  return written === String(value) ? v : undefined;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** Where a plain scalar written at the start of `line` ends: a comment, or in flow context a `,`, `}` or `]`. */
function endOfPlain(line: string, flow: boolean): number {
  const comment = line.search(/\s#/);
  const end = flow ? line.search(/[,}\]]/) : -1;
  const ends = [comment, end].filter((i) => i >= 0);
  return ends.length ? Math.min(...ends) : line.length;
}

/** The offset of the quote that closes the one at `open`; -1 when there is none. */
function quoteEnd(text: string, open: number): number {
  const q = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (q === '"' && text[i] === '\\') i++;
    else if (text[i] === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/** A one-line quoted scalar's value (escapes other than `\"` and `\\` are left to the exact parse). */
function quoted(written: string): string | undefined {
  const inner = written.slice(1, -1);
  if (written[0] === "'") return inner.replace(/''/g, "'");
  if (/\\[^"\\]/.test(inner)) return undefined;
  return inner.replace(/\\(["\\])/g, '$1');
}
