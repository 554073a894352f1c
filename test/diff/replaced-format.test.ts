import { describe, expect, it } from 'vitest';
import { formatDiffMarkdown } from '../../src/diff/format-markdown.js';
import { formatDiffText } from '../../src/diff/format-text.js';
import type { AppDiff, ObjectDiff } from '../../src/diff/types.js';
import { liveSection } from '../../src/report/live-section.js';

const job = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'shop', name });
const created: ObjectDiff = {
  action: 'create',
  ref: job('migrate-0fdc9408'),
  component: 'migrate',
  source: 'shop/kubemin.yaml:8',
  phase: '01-migrate',
  diff: '@@ -1 +1 @@\n-  image: migrate:1\n+  image: migrate:2\n',
  note: null,
  replaces: job('migrate-a08bb707'),
};
const deleted: ObjectDiff = {
  action: 'delete',
  ref: job('migrate-a08bb707'),
  component: 'migrate',
  source: null,
  phase: null,
  diff: '@@ -1 +0,0 @@\n-whole old job\n',
  note: null,
  replacedBy: job('migrate-0fdc9408'),
};
const app: AppDiff = { app: 'shop', namespace: 'shop', objects: [created, deleted], problems: [] };

describe('a replaced object in the live diff', () => {
  it('kubemin diff (text) shows it once, as replacing the old one, with the diff between them', () => {
    const text = formatDiffText([app]);
    expect(text).toContain('Job shop/migrate-0fdc9408 (replaces Job shop/migrate-a08bb707, shop/kubemin.yaml:8)\n');
    expect(text).not.toContain('whole old job');
    expect(text).not.toContain('(delete');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 to create, 0 to update, 1 to delete, 0 unchanged');
  });

  it('-o markdown and the pull request comment show one entry', () => {
    for (const md of [formatDiffMarkdown([app]), liveSection({ apps: [app] }).blocks.join('')]) {
      expect(md.match(/<details>/g)).toHaveLength(1);
      expect(md).toContain('<code>Job shop/migrate-0fdc9408</code> replaces Job shop/migrate-a08bb707');
      expect(md).not.toContain('whole old job');
    }
  });
});
