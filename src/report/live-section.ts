import { formatRef } from '../k8s/object-ref.js';
import { actionLabel, formatSummary, hasChanges, shownObjects, summarize, type AppDiff } from '../diff/types.js';
import { appLabel, type SourceUrl } from './app-section.js';
import { codeBlock, details, escapeCell, escapeHtml, plural } from './markdown.js';
import type { Section } from './paginate.js';

/** One app's live diff, with the environment of a variant (each environment is compared in its own cluster). */
export type LiveAppDiff = AppDiff & { readonly environment?: string };

/**
 * The live diff (`kubemin diff` against the cluster), or why it was not run; `notCompared` says
 * which apps could not be (an environment's context missing from the kubeconfig).
 */
export type LiveDiff = { readonly apps: readonly LiveAppDiff[]; readonly notCompared?: readonly string[] } | { readonly skipped: string };

const HEADING = '#### In the cluster';

/** Whether the live diff has anything to show: changes or errors. */
export function liveHasNews(live: LiveDiff | undefined): boolean {
  if (!live || !('apps' in live)) return false;
  const s = summarize(live.apps);
  return hasChanges(s) || s.errors > 0 || Boolean(live.notCompared?.length);
}

/**
 * What applying the head would change in the cluster, as `kubemin diff -o markdown` says it (a
 * table, then per object its problem or a collapsible diff), in blocks so that it can span
 * comments; or one line saying why it was skipped.
 */
export function liveSection(live: LiveDiff, sourceUrl?: SourceUrl): Section {
  if (!('apps' in live)) {
    return { open: '', reopen: '', close: '', blocks: [`${HEADING}\n\n_Not compared with the cluster: ${escapeHtml(live.skipped)}_\n\n`] };
  }
  const total = summarize(live.apps);
  const blocks: string[] = [];
  if (live.notCompared?.length) blocks.push(live.notCompared.map((n) => `_Not compared with the cluster: ${escapeHtml(n)}_\n`).join('\n') + '\n');
  if (!hasChanges(total) && !total.errors) {
    blocks.push(`**No changes to the cluster** (${plural(total.unchanged, 'object')} unchanged).\n\n`);
  } else {
    const environments = live.apps.some((a) => a.environment);
    const rows = environments
      ? ['| app | environment | namespace | create | update | delete | unchanged | errors |', '|---|---|---|---:|---:|---:|---:|---:|']
      : ['| app | namespace | create | update | delete | unchanged | errors |', '|---|---|---:|---:|---:|---:|---:|'];
    for (const a of live.apps) {
      const s = summarize([a]);
      const env = environments ? ` ${a.environment ? escapeCell(a.environment) : '–'} |` : '';
      rows.push(`| ${escapeCell(a.app)} |${env} ${escapeCell(a.namespace)} | ${s.create} | ${s.update} | ${s.delete} | ${s.unchanged} | ${s.errors} |`);
    }
    blocks.push(`${rows.join('\n')}\n\n**${formatSummary(total)}**\n\n`);
  }
  for (const a of live.apps) {
    for (const p of a.problems) {
      const from = p.source ? ` (${sourceLink(p.source, sourceUrl)})` : '';
      blocks.push(
        `> **error** ${appLabel(a)}: <code>${escapeHtml(formatRef(p.ref))}</code>${from}: ${escapeHtml(p.reason)}: ${escapeHtml(p.message).replace(/\n/g, ' ')}\n\n`,
      );
    }
    for (const o of shownObjects(a)) {
      const summary = `${appLabel(a)}: <code>${escapeHtml(formatRef(o.ref))}</code> ${escapeHtml(actionLabel(o))}${o.source ? ` (${sourceLink(o.source, sourceUrl)})` : ''}`;
      const note = o.note ? `_${escapeHtml(o.note)}_\n\n` : '';
      blocks.push(details(summary, note + codeBlock('diff', o.diff)) + '\n');
    }
  }
  return { open: `${HEADING}\n\n`, reopen: `${HEADING} (continued)\n\n`, close: '', blocks };
}

/** `file:line` (escaped), linked to that line at the head commit when `sourceUrl` gives an address. */
function sourceLink(source: string, sourceUrl: SourceUrl | undefined): string {
  const m = /^(.+):(\d+)(?::\d+)?$/.exec(source);
  const url = m && sourceUrl?.({ side: 'head', file: m[1]!, line: Number(m[2]) });
  return url ? `<a href="${escapeHtml(url).replace(/"/g, '&quot;')}">${escapeHtml(source)}</a>` : escapeHtml(source);
}
