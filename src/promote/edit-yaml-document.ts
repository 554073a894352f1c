import { isAlias, isCollection, isMap, isScalar, isSeq, parseAllDocuments, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { deepEqual, isPlainObject, type Plain, type PlainObject } from './merge-patch.js';
import { PromoteError } from './promote-error.js';
import { renderBlockPair, renderFlowPair, renderFlowValue, renderScalarLike, type BlockStyle } from './render-yaml.js';
import { applyTextEdits, columnOf, indentLines, lineEndAfter, lineEnding, lineStart, startsLine, type TextEdit } from './text-edits.js';

export interface DocumentEdit {
  /** 0-based index of the document in the file. */
  readonly docIndex: number;
  /** Where the mapping to change is: `['spec', 'environments', 1]`. */
  readonly path: ReadonlyArray<string | number>;
  /** What that mapping is to hold. */
  readonly value: PlainObject;
}

interface Context {
  readonly text: string;
  readonly doc: Document;
  readonly edits: TextEdit[];
  readonly style: BlockStyle;
  readonly eol: string;
}

/**
 * The text with one mapping of one document changed to a new value, by the smallest splices
 * the YAML allows: keys whose values are equal are not touched, a changed scalar keeps its
 * quoting and the comment after it, a removed key goes with its line (and the comment lines right
 * above it), a new key comes where the value's key order puts it among the keys that stay (last
 * when none follows it), in the mapping's style (block or flow) and the file's indentation and
 * line endings. Everything else, comments and blank lines included, stays byte for byte. (The
 * Document's own toString would write the whole file again: aligned comments, flow spacing and
 * list indentation would change on lines the promotion has nothing to do with.) The result is
 * read back and checked against the yaml Document API's own edit (setIn on a clone): a mismatch
 * is an error, never a wrong file.
 */
export function editYamlDocument(text: string, edit: DocumentEdit): string {
  const docs = parseAllDocuments(text) as Document[];
  const doc = Array.isArray(docs) ? docs[edit.docIndex] : undefined;
  if (!doc || doc.errors.length) throw new Error(`document ${edit.docIndex} cannot be read back (a bug in kubemin promote)`);
  const node = doc.getIn(edit.path, true) as Node | undefined;
  if (!isMap(node)) throw new PromoteError(`${edit.path.join('.')} is not written as a mapping there (an alias?): edit it by hand`);
  const ctx: Context = { text, doc, edits: [], style: blockStyle(doc, text), eol: lineEnding(text) };
  reconcileMap(ctx, node, edit.value);
  const out = applyTextEdits(text, ctx.edits);

  const expected = doc.clone();
  expected.setIn(edit.path, expected.createNode(edit.value));
  checkReadBack(out, docs, edit.docIndex, expected.toJS() as unknown);
  return out;
}

function reconcileMap(ctx: Context, map: YAMLMap, want: PlainObject): void {
  const pairs = map.items.map((pair) => ({ pair, key: keyOf(pair) }));
  const kept = pairs.filter((p) => Object.hasOwn(want, p.key));
  const added = Object.keys(want).filter((k) => !pairs.some((p) => p.key === k));
  if (!kept.length) return rewriteMap(ctx, map, want);
  for (const { pair, key } of kept) reconcileValue(ctx, map, pair, want[key]!);
  const gone = pairs.map((p) => !Object.hasOwn(want, p.key));
  if (map.flow) removeFlowPairs(ctx, map, gone);
  else removeBlockPairs(ctx, map, gone);
  // A new key goes before the next key of `want` that the mapping has (the order asked for), or last.
  const at = new Map<Pair | undefined, string[]>();
  const order = Object.keys(want);
  for (const k of added) {
    const next = order.slice(order.indexOf(k) + 1).find((n) => kept.some((p) => p.key === n));
    const before = next === undefined ? undefined : kept.find((p) => p.key === next)!.pair;
    at.set(before, [...(at.get(before) ?? []), k]);
  }
  for (const [before, keys] of at) insertPairs(ctx, map, keys, want, before, kept[kept.length - 1]!.pair);
}

/** New pairs before `before` (or after `last`), in the mapping's style. */
function insertPairs(ctx: Context, map: YAMLMap, keys: readonly string[], want: PlainObject, before: Pair | undefined, last: Pair): void {
  const { text } = ctx;
  if (map.flow) {
    const pairs = keys.map((k) => renderFlowPair(k, want[k]!));
    ctx.edits.push(
      before ? insertAt(keyNode(before).range![0], pairs.map((p) => `${p}, `).join('')) : insertAt(pairEnd(last), pairs.map((p) => `, ${p}`).join('')),
    );
    return;
  }
  const column = columnOf(text, keyNode(map.items[0]!).range![0]);
  const lines = keys.map((k) => indentLines(renderBlockPair(k, want[k]!, ctx.style), column, ctx.eol)).join('');
  const beforeAt = before && keyNode(before).range![0];
  if (beforeAt !== undefined && startsLine(text, beforeAt)) {
    ctx.edits.push(insertAt(commentsAbove(text, beforeAt), lines));
    return;
  }
  const end = lineEndAfter(text, pairEnd(map.items[map.items.length - 1]!));
  ctx.edits.push(insertAt(end, (end === text.length && !text.endsWith('\n') ? ctx.eol : '') + lines));
}

/** The start of the line of a key that starts its line, or of the comment lines right above it at its indentation. */
function commentsAbove(text: string, keyStart: number): number {
  const column = columnOf(text, keyStart);
  let start = lineStart(text, keyStart);
  while (start > 0) {
    const above = lineStart(text, start - 1);
    const line = text.slice(above, start);
    if (!line.trim().startsWith('#') || line.length - line.trimStart().length !== column) break;
    start = above;
  }
  return start;
}

function reconcileValue(ctx: Context, map: YAMLMap, pair: Pair, want: Plain): void {
  const node = pair.value as Node | null;
  const now = node ? (node.toJS(ctx.doc) as Plain) : null;
  if (deepEqual(now, want)) return;
  if (isAlias(node) || (node && (node as { anchor?: string }).anchor)) {
    throw new PromoteError(`${keyOf(pair)} is written with a YAML anchor or alias, which other places may share: edit it by hand`);
  }
  if (isMap(node) && isPlainObject(want) && Object.keys(want).length) return reconcileMap(ctx, node, want);
  if (isScalar(node) && node.range && node.range[1] > node.range[0] && !isPlainObject(want) && !Array.isArray(want)) {
    ctx.edits.push({ start: node.range[0], end: node.range[1], text: renderScalarLike(want, node) });
    return;
  }
  replaceValue(ctx, map, pair, want);
}

/** A value replaced whole (a list, a mapping for a scalar or the reverse). */
function replaceValue(ctx: Context, map: YAMLMap, pair: Pair, want: Plain): void {
  const node = pair.value as Node | null;
  if (map.flow) {
    if (!node?.range) throw new PromoteError(`${keyOf(pair)} has no value written in its {...}: edit it by hand`);
    ctx.edits.push({ start: node.range[0], end: node.range[1], text: renderFlowValue(want) });
    return;
  }
  // The pair is written again: `key: value`, or `key:` and the collection below it.
  const start = keyNode(pair).range![0];
  let end = pairEnd(pair);
  if (isCollection(node) && !node.flow) while (end > start && /[\r\n]/.test(ctx.text[end - 1]!)) end--;
  const [first, ...rest] = renderBlockPair(keyOf(pair), want, ctx.style);
  const column = columnOf(ctx.text, start);
  const body = rest.length ? ctx.eol + indentLines(rest, column, ctx.eol).slice(0, -ctx.eol.length) : '';
  // A comment right after the old value stays a comment.
  const gap = ctx.text[end] === '#' ? ' ' : '';
  ctx.edits.push({ start, end, text: first + body + gap });
}

/** A mapping none of whose keys stay: written again whole, in its style. */
function rewriteMap(ctx: Context, map: YAMLMap, want: PlainObject): void {
  if (map.flow || !map.items.length) {
    ctx.edits.push({ start: map.range![0], end: map.range![1], text: renderFlowValue(want) });
    return;
  }
  const start = keyNode(map.items[0]!).range![0];
  const end = lineEndAfter(ctx.text, pairEnd(map.items[map.items.length - 1]!));
  const lines = Object.keys(want).flatMap((k) => renderBlockPair(k, want[k]!, ctx.style));
  ctx.edits.push({ start, end, text: indentLines(lines, columnOf(ctx.text, start), ctx.eol).slice(columnOf(ctx.text, start)) });
}

/**
 * Removes the pairs of a block mapping marked `gone` (some stay): each with its lines and the
 * comment lines right above it at its indentation. The first pair of a list item (`- key: v`)
 * gives its place after the dash to the next pair that stays.
 */
function removeBlockPairs(ctx: Context, map: YAMLMap, gone: readonly boolean[]): void {
  const { text } = ctx;
  for (let i = 0; i < gone.length; i++) {
    if (!gone[i]) continue;
    const pair = map.items[i]!;
    const keyStart = keyNode(pair).range![0];
    if (!startsLine(text, keyStart)) {
      let next = i + 1;
      while (gone[next]) next++;
      ctx.edits.push({ start: keyStart, end: keyNode(map.items[next]!).range![0], text: '' });
      i = next - 1;
      continue;
    }
    ctx.edits.push({ start: commentsAbove(text, keyStart), end: lineEndAfter(text, pairEnd(pair)), text: '' });
  }
}

/** Removes the pairs of a flow mapping marked `gone` (some stay), with the commas between them. */
function removeFlowPairs(ctx: Context, map: YAMLMap, gone: readonly boolean[]): void {
  for (let i = 0; i < gone.length; i++) {
    if (!gone[i]) continue;
    let j = i;
    while (gone[j + 1]) j++;
    const items = map.items;
    ctx.edits.push(
      j + 1 < items.length
        ? { start: keyNode(items[i]!).range![0], end: keyNode(items[j + 1]!).range![0], text: '' }
        : { start: pairEnd(items[i - 1]!), end: pairEnd(items[j]!), text: '' },
    );
    i = j;
  }
}

function insertAt(at: number, text: string): TextEdit {
  return { start: at, end: at, text };
}

function keyNode(pair: Pair): Node {
  const key = pair.key as Node | null;
  if (!key?.range) throw new PromoteError('a mapping key without a position (a complex key?): edit it by hand');
  return key;
}

function keyOf(pair: Pair): string {
  const key = pair.key;
  if (!isScalar(key)) throw new PromoteError('a mapping with a complex key: edit it by hand');
  return String(key.value);
}

/** Where a pair's written value ends (for a block collection, after its last line). */
function pairEnd(pair: Pair): number {
  const value = pair.value as Node | null;
  const key = keyNode(pair).range![1];
  return value?.range ? Math.max(value.range[1], key) : key;
}

/** The file's indentation: from its first nested block mapping and its first block list under a key. */
function blockStyle(doc: Document, text: string): BlockStyle {
  let indent: number | undefined;
  let indentSeq: boolean | undefined;
  visit(doc, {
    Pair(_k, pair) {
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      if (!key?.range || !value?.range || !isCollection(value) || value.flow || !value.items.length) return;
      const column = columnOf(text, key.range[0]);
      if (indent === undefined && isMap(value)) {
        const inner = columnOf(text, keyNode(value.items[0] as Pair).range![0]) - column;
        if (inner > 0) indent = inner;
      }
      if (indentSeq === undefined && isSeq(value)) indentSeq = columnOf(text, value.range[0]) > column;
      if (indent !== undefined && indentSeq !== undefined) return visit.BREAK;
      return undefined;
    },
  });
  return { indent: indent ?? 2, indentSeq: indentSeq ?? true };
}

function checkReadBack(out: string, before: readonly Document[], docIndex: number, expected: unknown): void {
  const after = parseAllDocuments(out) as Document[];
  const same =
    Array.isArray(after) &&
    after.length === before.length &&
    after.every((d, i) => !d.errors.length && deepEqual(d.toJS() as Plain, (i === docIndex ? expected : before[i]!.toJS()) as Plain));
  if (!same) throw new Error('the edited file does not read back as intended (a bug in kubemin promote): nothing was written');
}
