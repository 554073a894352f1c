import { formatRef } from '../k8s/object-ref.js';
import { appKey } from '../environments/app-key.js';
import { actionLabel, formatSummary, shownObjects, summarize, type AppDiff } from './types.js';

/** GitHub comments hold 65,536 characters; leave room for what surrounds the diff. */
const MARKDOWN_LIMIT = 60_000;

/**
 * A summary table, then one collapsible section per app and changed object with a ```diff
 * block. Cut with a visible notice before `limit` characters.
 */
export function formatDiffMarkdown(apps: readonly AppDiff[], limit = MARKDOWN_LIMIT): string {
  const head: string[] = ['| app | namespace | create | update | delete | unchanged | errors |', '|---|---|---:|---:|---:|---:|---:|'];
  // An environment's variant as `<env>/<app>`.
  const name = (a: AppDiff): string => appKey({ name: a.app, ...(a.environment ? { environment: a.environment } : {}) });
  for (const a of apps) {
    const s = summarize([a]);
    head.push(`| ${name(a)} | ${a.namespace} | ${s.create} | ${s.update} | ${s.delete} | ${s.unchanged} | ${s.errors} |`);
  }
  head.push('', `**${formatSummary(summarize(apps))}**`, '');
  const sections: string[] = [];
  for (const a of apps) {
    for (const p of a.problems) sections.push(`> **error** \`${formatRef(p.ref)}\`${p.source ? ` (${p.source})` : ''}: ${p.reason}: ${escape(p.message)}\n`);
    for (const o of shownObjects(a)) {
      const fence = o.diff.includes('```') ? '~~~~' : '```';
      sections.push(
        [
          `<details><summary>${name(a)}: <code>${escape(formatRef(o.ref))}</code> ${escape(actionLabel(o))}${o.source ? ` (${escape(o.source)})` : ''}</summary>`,
          '',
          ...(o.note ? [`_${escape(o.note)}_`, ''] : []),
          `${fence}diff`,
          o.diff.replace(/\n$/, ''),
          fence,
          '',
          '</details>',
          '',
        ].join('\n'),
      );
    }
  }
  let text = head.join('\n') + '\n';
  let shown = 0;
  for (const s of sections) {
    if (text.length + s.length > limit - 200) break;
    text += s;
    shown++;
  }
  if (shown < sections.length) {
    text += `\n> **The diff was cut here**: ${sections.length - shown} of ${sections.length} sections are not shown (limit ${limit} characters). Run \`kubemin diff\` to see all of it.\n`;
  }
  return text;
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
