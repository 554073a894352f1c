/** RFC 6901 JSON pointers, used to address a value inside a spec document. */

export function joinPointer(base: string, ...segments: Array<string | number>): string {
  let out = base;
  for (const seg of segments) out += '/' + escapeSegment(seg);
  return out;
}

/** A segment as a pointer writes it ('~' as '~0', '/' as '~1'); most need no escaping (hot: every pointer is made here). */
function escapeSegment(seg: string | number): string {
  if (typeof seg === 'number') return String(seg);
  if (seg.indexOf('~') === -1 && seg.indexOf('/') === -1) return seg;
  return seg.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  const segments = pointer.slice(1).split('/');
  if (pointer.indexOf('~') === -1) return segments;
  return segments.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function getAtPointer(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const seg of splitPointer(pointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
