import { canonicalJson } from './hash.js';

/**
 * RFC 7386 JSON merge patches and RFC 6902 JSON patches, on plain JSON values. Pure: the target is
 * never changed, a new value is returned. No library of the project implements them, and both are
 * short: written here to the letter of the RFCs.
 */

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386: objects merged key by key, `null` removes a key, anything else (arrays too) replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

export type JsonPatchOp =
  { op: 'add' | 'replace' | 'test'; path: string; value: Json } | { op: 'remove'; path: string } | { op: 'move' | 'copy'; from: string; path: string };

/** Why an operation of a JSON patch could not be applied (RFC 6902: the whole patch fails). */
export class JsonPatchError extends Error {
  override readonly name = 'JsonPatchError';
  constructor(
    message: string,
    /** Index of the operation that failed. */
    readonly index: number,
  ) {
    super(message);
  }
}

/** RFC 6902: the operations in order, each on the result of the one before; the first that fails fails the patch. */
export function jsonPatch(target: Json, ops: readonly JsonPatchOp[]): Json {
  let doc = structuredClone(target);
  ops.forEach((op, index) => {
    const fail = (why: string): never => {
      throw new JsonPatchError(why, index);
    };
    switch (op.op) {
      case 'add':
        doc = add(doc, parse(op.path, fail), structuredClone(op.value), fail);
        break;
      case 'remove':
        doc = remove(doc, parse(op.path, fail), fail).doc;
        break;
      case 'replace': {
        const path = parse(op.path, fail);
        doc = add(remove(doc, path, fail).doc, path, structuredClone(op.value), fail);
        break;
      }
      case 'move': {
        const from = parse(op.from, fail);
        const path = parse(op.path, fail);
        if (op.path.startsWith(op.from + '/')) fail(`cannot move ${op.from} into itself (${op.path})`);
        if (op.from === op.path) break;
        const taken = remove(doc, from, fail);
        doc = add(taken.doc, path, taken.value, fail);
        break;
      }
      case 'copy':
        doc = add(doc, parse(op.path, fail), structuredClone(get(doc, parse(op.from, fail), fail)), fail);
        break;
      case 'test': {
        const actual = get(doc, parse(op.path, fail), fail);
        if (canonicalJson(actual) !== canonicalJson(op.value)) fail(`test failed: ${op.path} is ${JSON.stringify(actual)}, not ${JSON.stringify(op.value)}`);
        break;
      }
      default: {
        const never: never = op;
        fail(`unknown operation ${JSON.stringify((never as { op: unknown }).op)}`);
      }
    }
  });
  return doc;
}

function parse(pointer: string, fail: (why: string) => never): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) fail(`"${pointer}" is not a JSON pointer (it must start with "/")`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => {
      if (/~[^01]|~$/.test(s)) fail(`"${pointer}" has an invalid escape ("~" must be "~0" or "~1")`);
      return s.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

function show(path: readonly string[]): string {
  return '/' + path.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** An array index as RFC 6902 allows it: digits without leading zeros (or "-" where the caller allows). */
function arrayIndex(seg: string, length: number, forAdd: boolean, path: readonly string[], fail: (why: string) => never): number {
  if (forAdd && seg === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(seg)) fail(`${show(path)}: "${seg}" is not an index of the list`);
  const i = Number(seg);
  if (i > length || (!forAdd && i === length)) fail(`${show(path)}: index ${i} is past the end of the list (${length} items)`);
  return i;
}

/** The parent container of `path` in `doc` (which must exist). */
function parent(doc: Json, path: readonly string[], fail: (why: string) => never): Json {
  let cur = doc;
  for (let i = 0; i < path.length - 1; i++) cur = child(cur, path[i]!, path.slice(0, i + 1), fail);
  return cur;
}

function child(cur: Json, seg: string, at: readonly string[], fail: (why: string) => never): Json {
  if (Array.isArray(cur)) return cur[arrayIndex(seg, cur.length, false, at, fail)];
  if (isObject(cur) && Object.hasOwn(cur, seg)) return cur[seg];
  return fail(`${show(at)} does not exist`);
}

function get(doc: Json, path: readonly string[], fail: (why: string) => never): Json {
  let cur = doc;
  path.forEach((seg, i) => {
    cur = child(cur, seg, path.slice(0, i + 1), fail);
  });
  return cur;
}

function add(doc: Json, path: readonly string[], value: Json, fail: (why: string) => never): Json {
  if (!path.length) return value;
  const holder = parent(doc, path, fail);
  const last = path[path.length - 1]!;
  if (Array.isArray(holder)) holder.splice(arrayIndex(last, holder.length, true, path, fail), 0, value);
  else if (isObject(holder)) holder[last] = value;
  else fail(`${show(path.slice(0, -1))} is not an object or a list`);
  return doc;
}

function remove(doc: Json, path: readonly string[], fail: (why: string) => never): { doc: Json; value: Json } {
  if (!path.length) return { doc: undefined, value: doc };
  const holder = parent(doc, path, fail);
  const last = path[path.length - 1]!;
  if (Array.isArray(holder)) {
    const [value] = holder.splice(arrayIndex(last, holder.length, false, path, fail), 1);
    return { doc, value };
  }
  if (isObject(holder) && Object.hasOwn(holder, last)) {
    const value = holder[last];
    delete holder[last];
    return { doc, value };
  }
  return fail(`${show(path)} does not exist`);
}
