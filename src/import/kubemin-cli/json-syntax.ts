/**
 * Where a JSON text stops being JSON, and why, in words of kubemin's own: V8's JSON.parse message
 * quotes a piece of the input (which may be a secret value) and often gives no position. Run only
 * once JSON.parse has failed; a linear scan that never keeps any of the text.
 */
export interface JsonSyntaxError {
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

class Stop extends Error {
  constructor(
    readonly at: number,
    readonly why: string,
  ) {
    super(why);
  }
}

export function jsonSyntaxError(source: string): JsonSyntaxError {
  const text = source.replace(/^\uFEFF/, '');
  let at: number;
  try {
    at = scan(text);
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    return position(text, err.at, err.why);
  }
  return position(text, at, 'not valid JSON');
}

function position(text: string, offset: number, message: string): JsonSyntaxError {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n'), message };
}

/** Scans the whole text; throws Stop at the first error. Returns where it ended when it found none. */
function scan(text: string): number {
  let i = 0;
  const blank = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const expect = (what: string): never => {
    throw new Stop(i, i >= text.length ? `unexpected end of input: expected ${what}` : `unexpected character: expected ${what}`);
  };
  const string = (): void => {
    const start = i;
    i++;
    for (;;) {
      if (i >= text.length) throw new Stop(start, 'unterminated string: a closing " is missing');
      const c = text.charCodeAt(i);
      if (c === 34 /* " */) {
        i++;
        return;
      }
      if (c < 0x20) throw new Stop(i, 'a control character (a line break or tab) in a string: write it escaped, e.g. \\n');
      if (c === 92 /* \ */) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i, 'an invalid \\u escape in a string: it needs 4 hexadecimal digits');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Stop(i, 'an invalid escape in a string (JSON has \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
      } else i++;
    }
  };
  const scalar = (): void => {
    const c = text[i];
    if (c === '"') return string();
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (m && /[0-9]/.test(m[0])) {
      i += m[0].length;
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (c === "'") throw new Stop(i, 'strings are written in double quotes in JSON');
    expect('a value (a string in double quotes, a number, true, false, null, an object or an array)');
  };
  const key = (): void => {
    blank();
    if (text[i] !== '"') {
      if (text[i] === '}') throw new Stop(i, 'a comma before "}": JSON does not allow a trailing comma');
      expect('a property name in double quotes');
    }
    string();
    blank();
    if (text[i] !== ':') expect('":" after the property name');
    i++;
  };

  // Nesting is tracked on a stack, not by recursion: a deeply nested input cannot overflow it.
  const stack: Array<'}' | ']'> = [];
  let needValue = true;
  for (;;) {
    blank();
    if (needValue) {
      const c = text[i];
      if (c === '{' || c === '[') {
        const close = c === '{' ? '}' : ']';
        i++;
        blank();
        if (text[i] === close) {
          i++;
          needValue = false;
          continue;
        }
        stack.push(close);
        if (c === '{') key();
        continue;
      }
      scalar();
      needValue = false;
      continue;
    }
    const close = stack[stack.length - 1];
    if (!close) break;
    if (text[i] === close) {
      stack.pop();
      i++;
      continue;
    }
    if (text[i] !== ',') expect(`"," or "${close}"`);
    i++;
    if (close === '}') key();
    else {
      blank();
      if (text[i] === ']') throw new Stop(i, 'a comma before "]": JSON does not allow a trailing comma');
    }
    needValue = true;
  }
  blank();
  if (i < text.length) throw new Stop(i, 'unexpected text after the end of the JSON document');
  return i;
}
