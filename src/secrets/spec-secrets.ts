import { getAtPointer } from '../load/json-pointer.js';
import type { ParsedFile } from '../load/parse-spec-file.js';
import type { Registry } from '../plugins/registry.js';
import { isUnder, sensitivePointers } from '../spec/sensitive.js';
import { publicStrings } from './public-strings.js';

/** The secret values of one spec file and where they are written. */
export interface SpecSecrets {
  /** Offset ranges [start, end) of the values in the file's text: masked in code frames. */
  readonly ranges: Array<[number, number]>;
  /** The values, for the output boundary (Redactor); those also written in the open (a name, a path) are left out. */
  readonly values: string[];
}

/**
 * Finds the secret values of a parsed spec file (by the component types' secretFields, plugins'
 * included). A file with syntax errors is read by the tolerant parser for this, so that a code
 * frame next to a syntax error or a duplicate key masks the values all the same; its values are
 * then taken as written on their first line, since a broken quote may glue the rest of the file
 * into one value.
 */
export function specSecrets(parsed: ParsedFile, registry: Pick<Registry, 'componentTypes'> & Partial<Pick<Registry, 'traits'>>): SpecSecrets {
  const broken = parsed.documents.length === 0 && parsed.diagnostics.length > 0;
  const docs = broken
    ? parsed.locator.tolerantValues().map((value, index) => ({ index, value }))
    : parsed.documents.map((d) => ({ index: d.index, value: d.value }));
  const ranges: Array<[number, number]> = [];
  const values: string[] = [];
  const text = parsed.locator.file.text;
  // The path's parts are shown with every diagnostic: a secret equal to one is no secret there.
  const shown = new Set(parsed.locator.file.path.split('/'));
  for (const { index, value } of docs) {
    if (value === null || typeof value !== 'object') continue;
    const pointers = sensitivePointers(value, registry);
    // A URL with a password in it (refused where a spec may hold URLs: webhook steps) is masked whole in code frames.
    const withPasswords = urlPasswords(value, '');
    for (const { password } of withPasswords) values.push(password);
    pointers.push(...withPasswords.map((u) => u.pointer));
    // The innermost values only, so that keys stay readable in code frames.
    const leaves = pointers.filter((p) => !pointers.some((q) => q.startsWith(p + '/')));
    if (!leaves.length) continue;
    publicStrings(value, (p) => isUnder(p, pointers), shown);
    const found = parsed.locator.valueRanges(index, leaves);
    ranges.push(...found);
    if (broken) {
      // A quote never closed reads the rest of the file into one value: it is masked where it is
      // written (the ranges), but only its first line is taken as the secret, not the lines after.
      for (const [a, b] of found) values.push(...writtenLines(text.slice(a, b).split('\n')[0]!));
      continue;
    }
    for (const leaf of leaves) {
      const v = getAtPointer(value, leaf);
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values.push(String(v));
    }
  }
  return { ranges, values: values.filter((v) => !shown.has(v)) };
}

/** The lines of a value as written, without indentation, quotes or a `key:` glued on by a broken quote. */
function writtenLines(raw: string): string[] {
  const out: string[] = [];
  for (const line of raw.split(/\r?\n/)) {
    const bare = line.trim().replace(/^["']|["']$/g, '');
    if (!bare) continue;
    out.push(bare);
    const glued = /^[^\s:]+:\s+(.+)$/.exec(bare);
    if (glued) out.push(glued[1]!.replace(/^["']|["']$/g, ''));
  }
  return out;
}

/** `scheme://user:password@host...` */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@\s:]*:([^/?#@\s]+)@/i;

/** The strings of a spec value that are URLs with a password, and the password (as written, and decoded). */
function urlPasswords(value: unknown, pointer: string): Array<{ pointer: string; password: string }> {
  if (typeof value === 'string') {
    const m = URL_WITH_PASSWORD.exec(value);
    if (!m) return [];
    const written = m[1]!;
    let decoded = written;
    try {
      decoded = decodeURIComponent(written);
    } catch {
      // as written
    }
    return [...new Set([written, decoded])].map((password) => ({ pointer, password }));
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => urlPasswords(v, `${pointer}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`));
}
