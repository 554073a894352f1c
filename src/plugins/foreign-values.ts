import { types } from 'node:util';

/**
 * Values made by a plugin, looked at in its worker without trusting them: a getter may throw, a
 * Proxy may trap, a thrown value may be anything. Nothing here lets an exception escape.
 */

const MAX_MESSAGE = 400;

/** One line, at most MAX_MESSAGE characters: a plugin's message never brings a stack into kubemin's output. */
function oneLine(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim()) ?? '';
  const line = first.trim();
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}...` : line;
}

/** What a thrown value says: an Error's message, a string, or what kind of value it was. */
export function describeThrown(err: unknown): string {
  try {
    if (types.isProxy(err)) return 'a Proxy (not an Error)';
    if (typeof err === 'symbol') return `a symbol, ${err.description === undefined ? 'Symbol()' : `Symbol(${oneLine(err.description)})`} (not an Error)`;
    if (typeof err === 'string') return oneLine(err) || 'an empty string';
    if (err instanceof Error) {
      const message: unknown = err.message;
      return typeof message === 'string' && message ? oneLine(message) : `${err.name || 'an Error'} without a message`;
    }
    if (err === null || err === undefined || typeof err !== 'object') return `${String(err)} (not an Error)`;
    return 'an object that is not an Error';
  } catch {
    return 'a value that cannot be read (looking at it threw)';
  }
}

/**
 * Where a value is not plain data (a function, a symbol, a Proxy, a getter that throws), as a
 * JSON pointer and the reason; undefined when the whole of it is data.
 */
export function nonData(value: unknown, pointer = '', seen = new Set<object>()): string | undefined {
  try {
    if (typeof value === 'function') return `${pointer || 'the value'} is a function`;
    if (typeof value === 'symbol') return `${pointer || 'the value'} is a symbol`;
    if (value === null || typeof value !== 'object') return undefined;
    if (types.isProxy(value)) return `${pointer || 'the value'} is a Proxy`;
    if (seen.has(value)) return undefined;
    seen.add(value);
    for (const key of Object.keys(value)) {
      const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      let inner: unknown;
      try {
        inner = (value as Record<string, unknown>)[key];
      } catch (err) {
        return `reading ${at} threw: ${describeThrown(err)}`;
      }
      const problem = nonData(inner, at, seen);
      if (problem) return problem;
    }
    return undefined;
  } catch (err) {
    return `${pointer || 'the value'} cannot be read: ${describeThrown(err)}`;
  }
}
