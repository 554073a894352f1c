/**
 * The ways a secret value can be written out by kubemin or by others: as is, base64 (a Secret's
 * `data`), escaped inside a JSON, Go (`%q`, the API server's messages) or YAML double-quoted string,
 * doubled quotes of a YAML single-quoted string, and each line of a multi-line value (a PEM key
 * quoted line by line, or a message that folds it).
 */
export function secretForms(value: string): string[] {
  const forms = new Set<string>([value, base64(value), jsonInner(value), goInner(value), yamlInner(value), value.replace(/'/g, "''")]);
  const lines = value.split(/\r?\n/);
  if (lines.length > 1) {
    for (const line of lines) {
      const trimmed = line.trim();
      forms.add(trimmed);
      forms.add(jsonInner(trimmed));
    }
  }
  forms.delete('');
  return [...forms];
}

/** `data` values are base64: the decoded text is the secret too (when it is text). */
export function decodeBase64Text(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value.replace(/\s+/g, ''))) return undefined;
  const bytes = Buffer.from(value, 'base64');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}

function base64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

function jsonInner(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** Go's strconv.Quote without the quotes: what the API server prints for `Invalid value: "..."`. */
function goInner(value: string): string {
  return escaped(value, GO_ESCAPES, (cp) => {
    if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
    if (!isPrintable(cp)) return cp > 0xffff ? `\\U${hex(cp, 8)}` : `\\u${hex(cp, 4)}`;
    return undefined;
  });
}

const GO_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** YAML double-quoted without the quotes (the `yaml` package's escapes). */
function yamlInner(value: string): string {
  return escaped(value, YAML_ESCAPES, (cp) => (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? `\\x${hex(cp, 2)}` : undefined));
}

/** Each character by its named escape, else as `other` writes its code point, else as is. */
function escaped(value: string, named: Record<string, string>, other: (cp: number) => string | undefined): string {
  let out = '';
  for (const ch of value) out += named[ch] ?? other(ch.codePointAt(0)!) ?? ch;
  return out;
}

function hex(cp: number, digits: number): string {
  return cp.toString(16).padStart(digits, '0');
}

const YAML_ESCAPES: Record<string, string> = {
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
  '"': '\\"',
  '\\': '\\\\',
  '\x85': '\\N',
  '\xa0': '\\_',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

/** Roughly Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isPrintable(cp: number): boolean {
  return cp === 0x20 || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp));
}
