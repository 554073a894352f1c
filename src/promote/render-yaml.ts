import { Document, isScalar, Scalar, type ToStringOptions } from 'yaml';
import type { Plain } from './merge-patch.js';

/** How the file indents: spaces per level, and whether a block list under a key is indented. */
export interface BlockStyle {
  readonly indent: number;
  readonly indentSeq: boolean;
}

const FLOW: ToStringOptions = { lineWidth: 0, flowCollectionPadding: false };

/** `key: value` as lines (no line ends) in block style, at column 0: a collection goes below the key. */
export function renderBlockPair(key: string, value: Plain, style: BlockStyle): string[] {
  const text = new Document({ [key]: value }).toString({ lineWidth: 0, indent: style.indent, indentSeq: style.indentSeq });
  return text.replace(/\n$/, '').split('\n');
}

/** `key: value` in flow style, for inside `{...}`. */
export function renderFlowPair(key: string, value: Plain): string {
  const doc = new Document({ [key]: value });
  (doc.contents as { flow?: boolean }).flow = true;
  return unwrap(doc.toString(FLOW));
}

/** A value in flow style (a scalar as YAML reads it back, a collection as `{...}` or `[...]`). */
export function renderFlowValue(value: Plain): string {
  return renderFlowItem(value, undefined);
}

/**
 * A scalar in the quoting of the one it replaces where that can hold it (`"x"` stays double-quoted,
 * `'x'` single-quoted); a plain one stays plain unless the new value needs quotes (`"8080"` as a
 * string). Safe inside `[...]` and `{...}` as well as in block style.
 */
export function renderScalarLike(value: Plain, old: Scalar): string {
  const quoted = old.type === Scalar.QUOTE_DOUBLE || old.type === Scalar.QUOTE_SINGLE;
  return renderFlowItem(value, typeof value === 'string' && quoted ? old.type : Scalar.PLAIN);
}

function renderFlowItem(value: Plain, type: Scalar.Type | undefined): string {
  const doc = new Document([value]);
  const seq = doc.contents as { flow?: boolean; items: unknown[] };
  seq.flow = true;
  const item = seq.items[0];
  if (type && isScalar(item)) item.type = type;
  return unwrap(doc.toString(FLOW));
}

/** `[x]\n` or `{x}\n` -> `x`. */
function unwrap(text: string): string {
  return text.replace(/\n$/, '').slice(1, -1);
}
