import { splitPointer } from '../../load/json-pointer.js';

/**
 * Problems sorted as their places appear in the input document (object keys in the order they
 * are written, array items by index), the whole document first; problems at one place keep the
 * order they were found in. A field that is not in the input sorts after its written siblings.
 */
export function inDocumentOrder<T extends { readonly pointer: string }>(problems: readonly T[], input: unknown): T[] {
  const keyed = problems.map((p, i) => ({ p, i, path: positions(p.pointer, input) }));
  keyed.sort((a, b) => comparePaths(a.path, b.path) || a.i - b.i);
  return keyed.map((k) => k.p);
}

function positions(pointer: string, input: unknown): number[] {
  const out: number[] = [];
  let cur: unknown = input;
  for (const seg of splitPointer(pointer)) {
    if (Array.isArray(cur)) {
      const n = Number(seg);
      out.push(Number.isInteger(n) ? n : Number.MAX_SAFE_INTEGER);
      cur = cur[n];
    } else if (cur !== null && typeof cur === 'object') {
      const keys = Object.keys(cur);
      const n = keys.indexOf(seg);
      out.push(n < 0 ? Number.MAX_SAFE_INTEGER : n);
      cur = (cur as Record<string, unknown>)[seg];
    } else {
      out.push(Number.MAX_SAFE_INTEGER);
      cur = undefined;
    }
  }
  return out;
}

function comparePaths(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
