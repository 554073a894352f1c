import { cutBlock } from './cut-block.js';

/**
 * A part of the report: blocks of balanced markdown (a table, one object's `<details>`) under an
 * optional wrapper. A page boundary falls between blocks only; a section split over two pages is
 * closed (`close`) at the end of the first and opened again (`reopen`) at the start of the next.
 */
export interface Section {
  readonly open: string;
  readonly reopen: string;
  readonly close: string;
  readonly blocks: readonly string[];
}

/** Blocks with no wrapper. */
export function plainSection(...blocks: string[]): Section {
  return { open: '', reopen: '', close: '', blocks };
}

export interface PaginateOptions {
  /** Characters available on each page. */
  readonly pageSize: number;
  /** Closes a block cut because it is larger than a page on its own. */
  readonly cutNotice: (moreLines: number) => string;
}

/** A page: its text, and how many blocks it starts (blocks cut short count). */
export interface Page {
  readonly text: string;
  readonly blocks: number;
}

/**
 * The sections laid out on pages of at most `pageSize` characters, in order. A section that does
 * not fit in what is left of a page starts on a new one when it fits there whole; a larger one is
 * spread over pages between its blocks; a block larger than a page is cut with a notice.
 */
export function paginate(sections: readonly Section[], options: PaginateOptions): Page[] {
  const pages: Page[] = [];
  let text = '';
  let blocks = 0;
  const flush = () => {
    if (text) pages.push({ text, blocks });
    text = '';
    blocks = 0;
  };
  for (const s of sections) {
    const whole = s.open.length + s.blocks.reduce((n, b) => n + b.length, 0) + s.close.length;
    if (text.length + whole > options.pageSize && whole <= options.pageSize) flush();
    let opened = false;
    s.blocks.forEach((block, i) => {
      const head = i === 0 ? s.open : s.reopen;
      if (text.length + (opened ? 0 : head.length) + block.length + s.close.length > options.pageSize) {
        if (opened) text += s.close;
        opened = false;
        flush();
      }
      if (!opened) text += head;
      opened = true;
      text += cutBlock(block, options.pageSize - text.length - s.close.length, options.cutNotice);
      blocks++;
    });
    if (opened) text += s.close;
  }
  flush();
  return pages;
}
