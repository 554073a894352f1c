import type { FileLocator } from './locator.js';

/**
 * The files of one compilation, for code frames. Secret values are masked here, once, so that
 * no formatter can print them.
 */
export class SourceSet {
  private readonly files = new Map<string, { locator: FileLocator; masks: Array<[number, number]> }>();

  add(locator: FileLocator, masks: Array<[number, number]> = []): void {
    const existing = this.files.get(locator.file.path);
    if (existing) existing.masks.push(...masks);
    else this.files.set(locator.file.path, { locator, masks: [...masks] });
  }

  /** The text of a line, with secret values replaced by `*`. */
  line(file: string, line: number): string | undefined {
    const entry = this.files.get(file);
    if (!entry || line < 1 || line > entry.locator.lines.lineCount) return undefined;
    const text = entry.locator.lines.line(line);
    if (!entry.masks.length) return text;
    const start = entry.locator.lines.lineStart(line);
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const at = start + i;
      const masked = entry.masks.some(([a, b]) => at >= a && at < b);
      out += masked && text[i] !== ' ' ? '*' : text[i];
    }
    return out;
  }
}
