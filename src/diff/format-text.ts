import { formatObjectProblem, formatRef } from '../k8s/object-ref.js';
import { actionLabel, formatSummary, shownObjects, summarize, type AppDiff } from './types.js';

export interface DiffTextOptions {
  readonly color?: boolean;
}

/**
 * One section per changed object: a header `Kind namespace/name (action, source)`, then the
 * unified diff. Unchanged objects print nothing; the last line is the summary.
 */
export function formatDiffText(apps: readonly AppDiff[], opts: DiffTextOptions = {}): string {
  const c = (code: number) => (s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const red = c(31);
  const green = c(32);
  const cyan = c(36);
  const bold = c(1);
  const out: string[] = [];
  for (const app of apps) {
    for (const o of shownObjects(app)) {
      const where = [actionLabel(o), o.source].filter(Boolean).join(', ');
      out.push(bold(`${formatRef(o.ref)} (${where})`));
      if (o.note) out.push(`# ${o.note}`);
      for (const line of o.diff.replace(/\n$/, '').split('\n')) {
        out.push(line.startsWith('+') ? green(line) : line.startsWith('-') ? red(line) : line.startsWith('@@') ? cyan(line) : line);
      }
    }
  }
  out.push(formatSummary(summarize(apps)));
  return out.join('\n') + '\n';
}

/** Problems for stderr: the object, its source line, the reason and the server's message. */
export function formatDiffProblems(apps: readonly AppDiff[]): string {
  const lines: string[] = [];
  for (const app of apps) {
    for (const p of app.problems) {
      lines.push(`error: ${formatObjectProblem(p)}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
