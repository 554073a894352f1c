import { summarize, type AppDiff } from './types.js';

/** `{apps: [...], summary}`: every object with its action and diff, and every problem. */
export function formatDiffJson(apps: readonly AppDiff[]): string {
  return JSON.stringify({ apps, summary: summarize(apps) }, null, 2) + '\n';
}
