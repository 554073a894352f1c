import { secretForms } from './secret-forms.js';

export const MASK = '***';

/** Values shorter than this are not scrubbed from kubemin's own text: they would hide ordinary words. */
const MIN_SCRUBBED_LENGTH = 4;

/**
 * A run of this many characters of a long secret form is masked too: a server that quotes a
 * truncated prefix, or a message that folds a value across lines, shows no more than this minus one.
 */
const WINDOW = 8;
const WINDOWED_LENGTH = 16;

/** Where secret values may be registered: the specs' loader, the cluster edge, the plugins. */
export interface SecretSink {
  add(value: string): void;
}

/**
 * Masks secret values in text, as GitHub Actions' add-mask does for a job's log: every value
 * registered, in every form it can be written in (base64, escaped in JSON, Go or YAML strings,
 * line by line), and for long values any run of 8 of their characters (a truncated prefix). One
 * redactor stands at the output boundary of a process, so that no line reaches stdout, stderr, a
 * report or a comment without passing through it, whatever printed it.
 *
 * Values shorter than 4 characters are masked where they are printed (code frames, diffs) and,
 * in others' messages (`scrubForeign`), where they stand quoted or as a whole token.
 */
export class Redactor implements SecretSink {
  private readonly values = new Set<string>();
  private readonly exact = new Set<string>();
  private readonly short = new Set<string>();
  private readonly windows = new Set<string>();
  /** Every value as kubemin's own messages quote it (JSON), short ones included. */
  private readonly quoted = new Set<string>();
  private sortedExact: string[] = [];
  private foreignPattern: RegExp | undefined;
  private dirty = false;

  /** Registers a secret value (and its forms). Empty values are ignored. */
  add(value: string): void {
    if (!value || this.values.has(value)) return;
    this.values.add(value);
    this.quoted.add(JSON.stringify(value));
    this.dirty = true;
    for (const form of secretForms(value)) {
      if (form.length < MIN_SCRUBBED_LENGTH) {
        if (form.trim()) this.short.add(form);
        continue;
      }
      this.exact.add(form);
      if (form.length >= WINDOWED_LENGTH) {
        for (let i = 0; i + WINDOW <= form.length; i++) {
          const w = form.slice(i, i + WINDOW);
          // A run of blanks or of one repeated character says nothing of the value.
          if (new Set(w).size > 2) this.windows.add(w);
        }
      }
    }
  }

  addAll(values: Iterable<string>): this {
    for (const v of values) this.add(v);
    return this;
  }

  /** Number of values registered. */
  get size(): number {
    return this.values.size;
  }

  /** `text` with every registered value (4 characters or more) masked. */
  scrub(text: string): string {
    if (!this.exact.size || !text) return text;
    return mask(text, this.ranges(text));
  }

  /**
   * For text that others wrote (the API server, a plugin, a parser): `scrub`, and also the short
   * values where they stand quoted or as a whole token.
   */
  scrubForeign(text: string): string {
    if (!text || (!this.exact.size && !this.short.size)) return text;
    const ranges = this.ranges(text);
    const pattern = this.foreign();
    if (pattern) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        const start = m.index + (m[1]?.length ?? 0);
        ranges.push([start, start + m[2]!.length]);
        if (m[0].length === 0) pattern.lastIndex++;
      }
    }
    return mask(text, ranges);
  }

  /**
   * For kubemin's own messages, which quote a value as JSON (`"a b"`): `scrub`, and also the
   * values shorter than 4 characters where they stand quoted.
   */
  scrubMessage(text: string): string {
    if (!text || !this.values.size) return text;
    const ranges = this.ranges(text);
    for (const q of this.quoted) {
      for (let at = text.indexOf(q); at !== -1; at = text.indexOf(q, at + 1)) ranges.push([at + 1, at + q.length - 1]);
    }
    return mask(text, ranges);
  }

  /** A JSON value (a status report) with every string in it scrubbed. */
  scrubJson<T>(value: T): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => this.scrubJson(v)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.scrubJson(v)])) as T;
    }
    return value;
  }

  private ranges(text: string): Array<[number, number]> {
    this.prepare();
    const out: Array<[number, number]> = [];
    for (const form of this.sortedExact) {
      for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) out.push([at, at + form.length]);
    }
    if (this.windows.size) {
      for (let i = 0; i + WINDOW <= text.length; i++) {
        if (this.windows.has(text.slice(i, i + WINDOW))) out.push([i, i + WINDOW]);
      }
    }
    return out;
  }

  private prepare(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.sortedExact = [...this.exact].sort((a, b) => b.length - a.length);
    this.foreignPattern = undefined;
  }

  private foreign(): RegExp | undefined {
    this.prepare();
    if (this.foreignPattern || !this.short.size) return this.foreignPattern;
    const alternatives = [...this.short]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|');
    // Quoted ("v", 'v', `v`) or a whole token after a separator (`key: v`, `k=v`, ` v,`).
    this.foreignPattern = new RegExp(`(^|["'\`=:\\s(\\[{,])(${alternatives})(?=$|["'\`,;:.)\\]}\\s])`, 'gmu');
    return this.foreignPattern;
  }
}

/** Replaces the union of `ranges` in `text` by MASK, one mask per run. */
function mask(text: string, ranges: Array<[number, number]>): string {
  if (!ranges.length) return text;
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let at = 0;
  let i = 0;
  while (i < ranges.length) {
    let [start, end] = ranges[i]!;
    i++;
    while (i < ranges.length && ranges[i]![0] <= end) end = Math.max(end, ranges[i++]![1]);
    if (start < at) start = at;
    out += text.slice(at, start) + MASK;
    at = end;
  }
  return out + text.slice(at);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
