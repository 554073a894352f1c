/**
 * Fast, deterministic block-style YAML emitter for Kubernetes manifests.
 *
 * Design goals:
 *  - one pass, string concatenation only (V8 ropes), no dependency on `yaml`;
 *  - output that every mainstream parser reads back to the same JSON value,
 *    under YAML 1.2 core schema (`yaml`, js-yaml) *and* YAML 1.1 semantics
 *    (go-yaml as used by kubectl, where `yes`, `on`, `0755`, `1:20`,
 *    `2001-12-14`, `<<` ... are not strings);
 *  - keys in the object's own insertion order (callers decide ordering).
 *
 * Scalar quoting rule (applies to keys and values alike):
 *  - a string is written plain only if it matches a conservative ASCII
 *    allow-list (PLAIN_RE) AND passes the structural checks in `isPlainSafe`
 *    (no leading/trailing space, no `: `, no trailing `:`, no `- ` / `-`
 *    sequence-entry look-alike, no `---` / `...` document markers) AND is not
 *    a reserved word (null/bool words of YAML 1.1 in any case, `~`, `<<`, `=`,
 *    `.inf`, `.nan`) AND does not look number-ish (NUMBERISH_RE: optional
 *    sign, optional `e`, then a digit or `.`, then only characters that can
 *    occur in YAML 1.1/1.2 ints, floats, sexagesimals and timestamps);
 *  - values containing `\n` that consist only of printable characters and have
 *    some non-whitespace content are written as literal block scalars (`|`,
 *    `|-`, `|+`, with indentation indicator `2` when the text starts with a
 *    space or newline; see `canBeBlock` for the few exceptions);
 *  - everything else is double-quoted using JSON string escaping plus `\uXXXX`
 *    escapes for characters YAML treats as non-printable or (in YAML 1.1) as
 *    line breaks.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Block-style YAML for one document (no leading '---'), ending in exactly one '\n'. */
export function emitYaml(value: JsonValue): string {
  return new YamlWriter().document(value);
}

/**
 * An emitter with state of its own (the text being written, the nesting depth, the key texts
 * already worked out): nothing is shared between two writers or kept between two calls of
 * `emitYaml`, so emissions may interleave (a getter of the value that emits YAML itself, two
 * streams written turn about) and each gives the bytes it gives alone. One writer for many
 * documents (a stream, an app's files) reuses its key texts across them.
 */
export class YamlWriter {
  /** The document being written: one string, appended to (V8 ropes). */
  private out = '';
  /** Current container nesting depth (guards against cycles / runaway recursion). */
  private depth = 0;
  /** Key -> its text (plain or quoted): the same few keys come again in every object. */
  private readonly keys = new Map<string, string>();

  /** Block-style YAML for one document (no leading '---'), ending in exactly one '\n'. */
  document(value: JsonValue): string {
    // Saved and restored: a getter of `value` that calls this same writer gets its own document.
    const outer = this.out;
    const outerDepth = this.depth;
    this.out = '';
    this.depth = 0;
    let result: string;
    try {
      this.writeTop(value as unknown);
      result = this.out;
    } catch (err) {
      if (err instanceof EmitError) {
        throw new TypeError(`emitYaml: ${err.message} at ${formatPath(err.path)}`, { cause: err });
      }
      throw err;
    } finally {
      this.out = outer;
      this.depth = outerDepth;
    }
    // `result` is a deep rope (one cons cell per `+=`). Flatten it now, while it is
    // young: callers that keep thousands of documents alive before joining them
    // otherwise retain millions of cons cells (measured ~4x slower end to end).
    result.charCodeAt(0);
    return result;
  }

  private keyText(k: string): string {
    let t = COMMON_KEYS.get(k) ?? this.keys.get(k);
    if (t === undefined) {
      t = flowString(k);
      if (this.keys.size >= KEY_CACHE_MAX) this.keys.clear();
      this.keys.set(k, t);
    }
    return t;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      throw new EmitError(`cannot serialise structure nested deeper than ${MAX_DEPTH} levels (circular reference?)`);
    }
  }

  private writeTop(v: unknown): void {
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) {
        if (v.length === 0) this.out += '[]\n';
        else this.writeSeq(v, 0, '');
        return;
      }
      if (!isPlainObject(v)) throw unsupported(v);
      if (!this.writeMap(v as Record<string, unknown>, 0, '')) this.out += '{}\n';
      return;
    }
    if (typeof v === 'string' && !isPlainSafe(v) && canBeBlock(v)) {
      const first = v.charCodeAt(0);
      // Top-level indentation indicators are interpreted inconsistently across
      // parsers (the spec's top-level parent indentation is -1): double-quote.
      if (first === 0x20 || first === 0x0a) this.out += doubleQuote(v) + '\n';
      else this.out += blockText(v, 2);
      return;
    }
    this.out += scalarText(v) + '\n';
  }

  /**
   * Writes a value whose key (`key:`) has just been written at column `indent`.
   * Writes the separator itself and finishes the line(s) with '\n'.
   */
  private writeAfterKey(v: unknown, indent: number): void {
    if (v === null) {
      this.out += ' null\n';
      return;
    }
    switch (typeof v) {
      case 'string':
        if (isPlainSafe(v)) this.out += ' ' + v + '\n';
        else if (canBeBlock(v)) this.out += ' ' + blockText(v, indent + 2);
        else this.out += ' ' + doubleQuote(v) + '\n';
        return;
      case 'number':
        this.out += ' ' + numberText(v) + '\n';
        return;
      case 'boolean':
        this.out += v ? ' true\n' : ' false\n';
        return;
      case 'object':
        if (Array.isArray(v)) {
          if (v.length === 0) this.out += ' []\n';
          else this.writeSeq(v, indent + 2, '\n' + pad(indent + 2));
          return;
        }
        if (!isPlainObject(v)) throw unsupported(v);
        if (!this.writeMap(v as Record<string, unknown>, indent + 2, '\n' + pad(indent + 2))) this.out += ' {}\n';
        return;
      default:
        throw unsupported(v);
    }
  }

  /**
   * Writes a value that starts on the current line at column `indent`
   * (after `- `): compact maps/sequences begin right there.
   */
  private writeInline(v: unknown, indent: number): void {
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) {
        if (v.length === 0) this.out += '[]\n';
        else this.writeSeq(v, indent, '');
        return;
      }
      if (!isPlainObject(v)) throw unsupported(v);
      if (!this.writeMap(v as Record<string, unknown>, indent, '')) this.out += '{}\n';
      return;
    }
    if (typeof v === 'string' && !isPlainSafe(v) && canBeBlock(v)) {
      this.out += blockText(v, indent);
      return;
    }
    this.out += scalarText(v) + '\n';
  }

  /** Sequence items at column `indent`; `firstPrefix` precedes the first `- `. */
  private writeSeq(arr: unknown[], indent: number, firstPrefix: string): void {
    this.enter();
    const p = pad(indent);
    const n = arr.length;
    let i = 0;
    try {
      for (; i < n; i++) {
        this.out += (i === 0 ? firstPrefix : p) + '- ';
        this.writeInline(arr[i], indent + 2);
      }
    } catch (err) {
      if (err instanceof EmitError) err.path.unshift(i);
      throw err;
    }
    this.depth--;
  }

  /**
   * Map entries at column `indent`; `firstPrefix` precedes the first key.
   * Returns false (having written nothing) if there is no defined entry.
   */
  private writeMap(obj: Record<string, unknown>, indent: number, firstPrefix: string): boolean {
    this.enter();
    const p = pad(indent);
    const keys = Object.keys(obj);
    let written = false;
    let k = '';
    try {
      for (let i = 0; i < keys.length; i++) {
        k = keys[i] as string;
        const v = obj[k];
        if (v === undefined) continue;
        const kt = this.keyText(k);
        const prefix = written ? p : firstPrefix;
        written = true;
        if (kt.length <= MAX_IMPLICIT_KEY) {
          this.out += prefix + kt + ':';
        } else {
          // Explicit key: `? key` / `: value`.
          this.out += prefix + '? ' + kt + '\n' + p + ':';
        }
        this.writeAfterKey(v, indent);
      }
    } catch (err) {
      if (err instanceof EmitError) err.path.unshift(k);
      throw err;
    }
    this.depth--;
    return written;
  }
}

// ---------------------------------------------------------------------------
// Constants (module-level, never written)

const MAX_DEPTH = 1000;
/** A writer's key cache is emptied when it reaches this size (keys are few; values of maps are not keys). */
const KEY_CACHE_MAX = 20_000;
/** YAML limits implicit keys to 1024 characters; longer keys use `? key` syntax. */
const MAX_IMPLICIT_KEY = 1000;

/** Thrown internally; collects the path while the stack unwinds (zero cost on the happy path). */
class EmitError extends Error {
  readonly path: (string | number)[] = [];
}

function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '<root>';
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(seg)) s += s === '' ? seg : `.${seg}`;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}

function describe(v: unknown): string {
  switch (typeof v) {
    case 'number':
      return String(v); // NaN, Infinity, -Infinity
    case 'bigint':
      return `bigint ${String(v)}n`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    case 'object': {
      if (v instanceof Date) return 'a Date';
      const ctor = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor;
      return `an instance of ${ctor?.name || 'a non-plain class'}`;
    }
    default:
      return typeof v;
  }
}

function unsupported(v: unknown): EmitError {
  return new EmitError(`cannot serialise ${describe(v)}`);
}

// ---------------------------------------------------------------------------
// Indentation

/** Indentation strings up to this width are made once; deeper ones (rare) on each use. */
const PADS: readonly string[] = Object.freeze(Array.from({ length: 128 }, (_, i) => ' '.repeat(i)));
function pad(n: number): string {
  return n < PADS.length ? (PADS[n] as string) : ' '.repeat(n);
}

// ---------------------------------------------------------------------------
// Scalars

/**
 * Allow-list for plain scalars. First character: letter, digit, `_`, `.`, `/`,
 * `$` or `-` (further checks below). Remaining characters: those plus a few
 * punctuation marks that are never indicators in the middle of a block-context
 * plain scalar, and single spaces/colons subject to the checks in isPlainSafe.
 */
const PLAIN_RE = /^[A-Za-z0-9_./$-][A-Za-z0-9_./$@%=+,~()?;: -]*$/;
/**
 * Anything that might be resolved as a number / timestamp by some YAML 1.1 or
 * 1.2 parser: ints (decimal, 0x, 0o, 0b, legacy octal, underscores), floats
 * (incl. exponent, `.5`, `1.`), sexagesimals (`1:20`), timestamps
 * (`2001-12-14t21:59:43.10-05:00`, `2001-12-14 21:59:43.10 -5`), and the lone
 * `.` that YAML 1.1's float regex accepts. The optional leading `e` covers
 * `e0` / `-E5` / `e+1`, which the `yaml` package's YAML 1.1 schema resolves as a float
 * (its exponent regex makes the mantissa optional). Deliberately over-broad.
 */
const NUMBERISH_RE = /^[-+]?(?:[eE][-+]?)?[0-9.][0-9a-fA-FxXoObBeEtTzZ_.:+ -]*$/;
/** Lower-cased words that are not strings in YAML 1.1 and/or 1.2 (checked case-insensitively). */
const RESERVED = new Set(['~', 'null', 'true', 'false', 'y', 'n', 'yes', 'no', 'on', 'off', '.inf', '-.inf', '+.inf', '.nan', '<<', '=']);

function isPlainSafe(s: string): boolean {
  if (!PLAIN_RE.test(s)) return false; // also rejects ''
  const last = s.charCodeAt(s.length - 1);
  if (last === 0x20 /* ' ' */ || last === 0x3a /* ':' */) return false;
  const first = s.charCodeAt(0);
  if (first === 0x2d /* '-' */) {
    if (s.length === 1 || s.charCodeAt(1) === 0x20) return false;
    if (s.startsWith('---')) return false;
  } else if (first === 0x2e /* '.' */ && s.startsWith('...')) {
    return false;
  }
  if (s.length <= 5 && RESERVED.has(s.toLowerCase())) return false;
  if (NUMBERISH_RE.test(s)) return false;
  if (s.includes(': ')) return false;
  return true;
}

/**
 * Characters JSON.stringify leaves raw but YAML must not see raw: DEL, C1
 * controls (incl. NEL, a YAML 1.1 line break), LS/PS (YAML 1.1 line breaks),
 * BOM, and the non-characters U+FFFE/U+FFFF.
 */
const EXTRA_ESCAPE_TEST_RE = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
const EXTRA_ESCAPE_RE = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;
function escapeExtra(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

function doubleQuote(s: string): string {
  const q = JSON.stringify(s);
  return EXTRA_ESCAPE_TEST_RE.test(q) ? q.replace(EXTRA_ESCAPE_RE, escapeExtra) : q;
}

/** Single-line rendering of a string (plain or double-quoted). */
function flowString(s: string): string {
  return isPlainSafe(s) ? s : doubleQuote(s);
}

/**
 * Printable characters that may appear raw inside a literal block scalar:
 * TAB, LF, printable ASCII, and printable non-ASCII except NEL/LS/PS (line
 * breaks in YAML 1.1), BOM, U+FFFE/U+FFFF; lone surrogates never match (`u` flag).
 */
const BLOCK_OK_RE = /^[\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]*$/u;

function canBeBlock(s: string): boolean {
  // Must contain a line break *and* some non-whitespace content: all-newline
  // strings have awkward chomping semantics, and the `yaml` package reads a
  // block whose lines are all whitespace (e.g. `|2` + `   `) as empty.
  if (s.indexOf('\n') < 0) return false;
  let blank = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x0a && c !== 0x20 && c !== 0x09) {
      blank = false;
      break;
    }
  }
  if (blank) return false;
  if (!BLOCK_OK_RE.test(s)) return false;
  const first = s.charCodeAt(0);
  if (first === 0x20 || first === 0x0a) {
    // An indentation indicator will be needed. With one, the `yaml` package
    // drops a final content line that consists only of spaces/tabs (e.g.
    // " a\n " reads back as " a"), so double-quote those instead.
    let end = s.length;
    while (s.charCodeAt(end - 1) === 0x0a) end--;
    for (let i = end - 1; ; i--) {
      const c = i < 0 ? 0x0a : s.charCodeAt(i);
      if (c === 0x0a) return false; // reached start of last line: all whitespace
      if (c !== 0x20 && c !== 0x09) break;
    }
  }
  return true;
}

/**
 * A literal block scalar: its header (`|`, `|-`, `|+`, `|2`...) and lines, written where the
 * header goes (e.g. after `key: ` or `- `). Content lines are indented by `contentIndent`,
 * which is always parent-indentation + 2, hence the indentation indicator `2`.
 */
function blockText(s: string, contentIndent: number): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x0a) end--;
  const trailing = s.length - end;
  const body = s.slice(0, end);
  // An indentation indicator is needed whenever the first line (or leading
  // empty line) starts with a space; auto-detection would get it wrong.
  const first = s.charCodeAt(0);
  let text = first === 0x20 || first === 0x0a ? '|2' : '|';
  text += trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const p = pad(contentIndent);
  let start = 0;
  for (;;) {
    const nl = body.indexOf('\n', start);
    const line = nl < 0 ? body.slice(start) : body.slice(start, nl);
    text += line === '' ? '\n' : '\n' + p + line;
    if (nl < 0) break;
    start = nl + 1;
  }
  // Keep-chomped trailing empty lines: written as indentation-only lines so
  // the document never ends in a blank line (they are still "empty lines").
  for (let i = 1; i < trailing; i++) text += '\n' + p;
  return text + '\n';
}

function numberText(n: number): string {
  if (Number.isInteger(n)) {
    // Integers are always written in plain decimal (never 1e+21 notation).
    if (n < 1e21 && n > -1e21) return n === 0 ? '0' : String(n);
    return BigInt(n).toString();
  }
  if (!Number.isFinite(n)) throw unsupported(n);
  const s = String(n);
  // YAML 1.1 floats need a '.'; JS writes e.g. 5e-7. (JS exponents are always signed.)
  const e = s.indexOf('e');
  if (e >= 0 && s.indexOf('.') < 0) return s.slice(0, e) + '.0' + s.slice(e);
  return s;
}

// ---------------------------------------------------------------------------
// Structure

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Single-line text of a scalar (strings are never block here). */
function scalarText(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return flowString(v);
    case 'number':
      return numberText(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      throw unsupported(v);
  }
}

/**
 * The keys of Kubernetes manifests that come in almost every object, their text worked out once
 * at load (a constant: never written after), so that a lone `emitYaml` call, with a writer of its
 * own, does not work them out again for each object.
 */
const COMMON_KEYS: ReadonlyMap<string, string> = new Map(
  [
    'apiVersion',
    'kind',
    'metadata',
    'name',
    'namespace',
    'labels',
    'annotations',
    'spec',
    'data',
    'stringData',
    'status',
    'app.kubernetes.io/name',
    'app.kubernetes.io/instance',
    'app.kubernetes.io/component',
    'app.kubernetes.io/part-of',
    'app.kubernetes.io/managed-by',
    'app.kubernetes.io/version',
    'selector',
    'matchLabels',
    'template',
    'replicas',
    'containers',
    'initContainers',
    'image',
    'imagePullPolicy',
    'command',
    'args',
    'env',
    'envFrom',
    'value',
    'valueFrom',
    'secretKeyRef',
    'configMapKeyRef',
    'configMapRef',
    'secretRef',
    'key',
    'ports',
    'port',
    'targetPort',
    'containerPort',
    'protocol',
    'type',
    'resources',
    'requests',
    'limits',
    'cpu',
    'memory',
    'securityContext',
    'runAsNonRoot',
    'seccompProfile',
    'allowPrivilegeEscalation',
    'capabilities',
    'drop',
    'add',
    'volumeMounts',
    'mountPath',
    'volumes',
    'readinessProbe',
    'livenessProbe',
    'startupProbe',
    'httpGet',
    'tcpSocket',
    'path',
    'periodSeconds',
    'initialDelaySeconds',
    'clusterIP',
    'serviceName',
    'volumeClaimTemplates',
    'accessModes',
    'storage',
    'restartPolicy',
    'backoffLimit',
    'activeDeadlineSeconds',
    'maxUnavailable',
    'rules',
    'host',
    'http',
    'paths',
    'pathType',
    'backend',
    'service',
    'number',
  ].map((k) => [k, flowString(k)]),
);
