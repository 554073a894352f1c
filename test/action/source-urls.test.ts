import { describe, expect, it } from 'vitest';
import { sourceUrls } from '../../src/action/run-action.js';

const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);

describe('sourceUrls: links to spec lines at their commit', () => {
  const url = sourceUrls('https://github.com/', 'acme/deploy', { head: HEAD, base: BASE });

  it('the head for objects and problems, the base for a delete', () => {
    expect(url({ side: 'head', file: 'apps/shop/kubemin.yaml', line: 12 })).toBe(`https://github.com/acme/deploy/blob/${HEAD}/apps/shop/kubemin.yaml#L12`);
    expect(url({ side: 'base', file: 'apps/shop/kubemin.yaml', line: 3 })).toBe(`https://github.com/acme/deploy/blob/${BASE}/apps/shop/kubemin.yaml#L3`);
  });

  it('path segments are encoded, separators kept', () => {
    expect(url({ side: 'head', file: 'apps/my shop/#1?.yaml', line: 1 })).toBe(`https://github.com/acme/deploy/blob/${HEAD}/apps/my%20shop/%231%3F.yaml#L1`);
  });

  it('no link for a file outside the repository or a commit not known by its id', () => {
    expect(url({ side: 'head', file: '../elsewhere/kubemin.yaml', line: 1 })).toBeUndefined();
    expect(url({ side: 'head', file: '/etc/kubemin.yaml', line: 1 })).toBeUndefined();
    const noBase = sourceUrls('https://github.com', 'acme/deploy', { head: 'HEAD', base: undefined });
    expect(noBase({ side: 'head', file: 'kubemin.yaml', line: 1 })).toBeUndefined();
    expect(noBase({ side: 'base', file: 'kubemin.yaml', line: 1 })).toBeUndefined();
  });
});
