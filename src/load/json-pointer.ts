/** RFC 6901 JSON pointers, used to address a value inside a spec document. */

export function joinPointer(base: string, ...segments: Array<string | number>): string {
  let out = base;
  for (const seg of segments) out += '/' + String(seg).replace(/~/g, '~0').replace(/\//g, '~1');
  return out;
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function getAtPointer(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const seg of splitPointer(pointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
