import type { Document, Node } from 'yaml';
import { yamlPackage } from '../lazy-packages.js';
import { LineIndex } from './line-index.js';
import { getAtPointer, splitPointer } from './json-pointer.js';
import { scalarOffset } from './scalar-offset.js';
import type { Position, SourceFile } from './source.js';

/**
 * Finds where a value of a parsed file is written.
 *
 * The hot path (every object's source line, on every render) uses the offsets the fast parser
 * recorded for each mapping and sequence, and for a scalar in a block mapping (the source of an
 * object made by a switch such as `createNamespace: true`) reads its line (scalar-offset.ts).
 * Exact positions of keys and other scalars (mostly for diagnostics) come from a second, lazy
 * parse with the `yaml` package, which keeps node ranges (and is only loaded then:
 * lazy-packages.ts).
 */
export class FileLocator {
  readonly lines: LineIndex;
  private precise: Document[] | undefined;

  constructor(
    readonly file: SourceFile,
    private readonly offsets: WeakMap<object, number>,
  ) {
    this.lines = new LineIndex(file.text);
  }

  /** Position of the value at `pointer` in document `docIndex`; with `key`, of its key instead. */
  locate(docIndex: number, root: unknown, pointer: string, opts: { key?: boolean } = {}): Position {
    if (!opts.key) {
      const value = getAtPointer(root, pointer);
      if (value !== null && typeof value === 'object') {
        const offset = this.offsets.get(value);
        if (offset !== undefined) return this.lines.position(offset);
      } else if (value !== undefined && pointer !== '') {
        const offset = this.scalarOffset(root, pointer, value as string | number | boolean | null);
        if (offset !== undefined) return this.lines.position(offset);
      }
    }
    return this.lines.position(this.preciseOffset(docIndex, pointer, opts.key ?? false));
  }

  /** A scalar in a block mapping whose offset the fast parser recorded, found in the text; undefined otherwise. */
  private scalarOffset(root: unknown, pointer: string, value: string | number | boolean | null): number | undefined {
    const cut = pointer.lastIndexOf('/');
    const parent = getAtPointer(root, pointer.slice(0, cut));
    if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) return undefined;
    const start = this.offsets.get(parent);
    return start === undefined ? undefined : scalarOffset(this.file.text, start, splitPointer(pointer.slice(cut))[0]!, value);
  }

  /** Offset ranges [start, end) of the values at the given pointers, for masking secrets. */
  valueRanges(docIndex: number, pointers: readonly string[]): Array<[number, number]> {
    const doc = this.documents()[docIndex];
    if (!doc) return [];
    const out: Array<[number, number]> = [];
    for (const p of pointers) {
      for (const node of walkAll(doc, doc.contents as Node | null, splitPointer(p))) {
        if (node.range) out.push([node.range[0], node.range[1]]);
      }
    }
    return out;
  }

  /**
   * The documents as the tolerant parser reads them, also when the file has syntax errors (a
   * best effort: what a broken file would have meant, for masking its secret values).
   */
  tolerantValues(): unknown[] {
    return this.documents().map((doc) => {
      try {
        return doc.toJS({ maxAliasCount: 50 }) as unknown;
      } catch {
        return undefined;
      }
    });
  }

  private preciseOffset(docIndex: number, pointer: string, key: boolean): number {
    const doc = this.documents()[docIndex];
    if (!doc) return 0;
    const found = walk(doc, splitPointer(pointer));
    if (key && found.complete && found.keyNode?.range) return found.keyNode.range[0];
    return found.node?.range?.[0] ?? doc.contents?.range?.[0] ?? 0;
  }

  private documents(): Document[] {
    if (!this.precise) {
      const { parseAllDocuments, LineCounter } = yamlPackage();
      this.precise = parseAllDocuments(this.file.text, { lineCounter: new LineCounter(), uniqueKeys: false }) as Document[];
    }
    return Array.isArray(this.precise) ? this.precise : [];
  }
}

interface WalkResult {
  node: Node | undefined;
  keyNode: Node | undefined;
  /** False when the pointer went further than the document: node is then the deepest ancestor. */
  complete: boolean;
}

function walk(doc: Document, segments: string[]): WalkResult {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlPackage();
  let node = doc.contents as Node | null;
  let keyNode: Node | undefined;
  for (const seg of segments) {
    if (node && isAlias(node)) node = (node.resolve(doc) as Node | null) ?? null;
    let next: Node | undefined;
    keyNode = undefined;
    if (node && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (pair) {
        keyNode = pair.key as Node;
        next = (pair.value as Node | null) ?? (pair.key as Node);
      }
    } else if (node && isSeq(node)) {
      next = node.items[Number(seg)] as Node | undefined;
    }
    if (!next) return { node: node ?? undefined, keyNode: undefined, complete: false };
    node = next;
  }
  return { node: node ?? undefined, keyNode, complete: true };
}

/** Every node at the path: a key written twice in a mapping (an error, but its frame is shown) leads to both values. */
function walkAll(doc: Document, from: Node | null, segments: readonly string[]): Node[] {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlPackage();
  let node = from;
  if (node && isAlias(node)) node = (node.resolve(doc) as Node | null) ?? null;
  if (!node) return [];
  const [seg, ...rest] = segments;
  if (seg === undefined) return [node];
  if (isMap(node)) {
    return node.items
      .filter((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg)
      .flatMap((p) => walkAll(doc, (p.value as Node | null) ?? null, rest));
  }
  if (isSeq(node)) return walkAll(doc, (node.items[Number(seg)] as Node | null) ?? null, rest);
  return [];
}
