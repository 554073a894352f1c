import { describe, expect, it } from 'vitest';
import { cutBlock } from '../../src/report/cut-block.js';
import { paginate, plainSection, type Section } from '../../src/report/paginate.js';
import { expectBalanced } from './markdown-checks.js';

const notice = (n: number) => `> cut: ${n} more lines\n`;

describe('cutBlock', () => {
  it('returns a block that fits as it is', () => {
    expect(cutBlock('a\nb\n', 10, notice)).toBe('a\nb\n');
  });

  it('cuts between lines, closes the open fence (not fooled by a shorter one inside), then the details', () => {
    const lines = Array.from({ length: 100 }, (_, i) => (i % 10 === 5 ? ' ```' : `+ line ${i}`));
    const block = `<details><summary>x</summary>\n\n<details><summary>y</summary>\n\n\`\`\`\`diff\n${lines.join('\n')}\n\`\`\`\`\n\n</details>\n</details>\n`;
    const cut = cutBlock(block, 400, notice);
    expect(cut.length).toBeLessThanOrEqual(400);
    expect(cut).toMatch(/\n````\n\n> cut: \d+ more lines\n\n<\/details>\n\n<\/details>\n\n$/);
    const kept = cut.split('\n').filter((l) => l.startsWith('+ line') || l === ' ```').length;
    expect(kept + Number(/cut: (\d+)/.exec(cut)![1])).toBe(block.trimEnd().split('\n').length - 5);
    expectBalanced(cut);
  });

  it('never keeps part of a line: a first line too long leaves only the notice', () => {
    expect(cutBlock('x'.repeat(500) + '\ny\n', 100, notice)).toBe('\n> cut: 2 more lines\n\n');
  });
});

describe('paginate', () => {
  const group = (name: string, blocks: string[]): Section => ({
    open: `<details><summary>${name}</summary>\n\n`,
    reopen: `<details><summary>${name} (continued)</summary>\n\n`,
    close: '</details>\n\n',
    blocks,
  });
  const block = (i: number, lines = 2) => `<details><summary>${i}</summary>\n\n${`${'x'.repeat(49)}\n`.repeat(lines)}</details>\n\n`;

  it('packs sections in order; one that does not fit what is left starts a new page whole', () => {
    const pages = paginate([plainSection('a'.repeat(300) + '\n'), group('g', [block(1), block(2)]), plainSection('b'.repeat(300) + '\n')], {
      pageSize: 500,
      cutNotice: notice,
    });
    expect(pages.map((p) => p.blocks)).toEqual([1, 2, 1]);
    expect(pages[1]!.text.startsWith('<details><summary>g</summary>')).toBe(true);
    for (const p of pages) {
      expect(p.text.length).toBeLessThanOrEqual(500);
      expectBalanced(p.text);
    }
  });

  it('spreads a section larger than a page over pages between its blocks, reopened on each', () => {
    const pages = paginate(
      [
        group(
          'g',
          Array.from({ length: 10 }, (_, i) => block(i)),
        ),
      ],
      { pageSize: 600, cutNotice: notice },
    );
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.reduce((n, p) => n + p.blocks, 0)).toBe(10);
    pages.forEach((p, i) => {
      expect(p.text.length).toBeLessThanOrEqual(600);
      expect(p.text.startsWith(i === 0 ? '<details><summary>g</summary>' : '<details><summary>g (continued)</summary>')).toBe(true);
      expect(p.text.endsWith('</details>\n\n')).toBe(true);
      expectBalanced(p.text);
    });
    expect(pages.map((p) => p.text).join('')).not.toContain('cut:');
  });

  it('cuts a block larger than a page inside its section', () => {
    const pages = paginate([group('g', [block(1), block(2, 100), block(3)])], { pageSize: 600, cutNotice: notice });
    expect(pages.map((p) => p.blocks)).toEqual([1, 1, 1]);
    expect(pages[1]!.text).toMatch(/> cut: \d+ more lines\n\n<\/details>\n\n<\/details>\n\n$/);
    for (const p of pages) expectBalanced(p.text);
  });
});
