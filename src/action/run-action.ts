import { access, writeFile as writeFileRaw } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { CompileResult } from '../compile.js';
import { formatGithub } from '../diagnostics/format-github.js';
import { hasChanges, summarize } from '../diff/types.js';
import { findSpecFiles } from '../files/find-spec-files.js';
import { loadAndCompile } from '../operations/load-and-compile.js';
import { repoPluginConfigs } from '../plugins/repo-config-notice.js';
import { Redactor, type SecretSink } from '../secrets/redactor.js';
import type { SourceUrl } from '../report/app-section.js';
import { escapeHtml } from '../report/markdown.js';
import { composeReport, REPORT_MARKER, type ReportParts } from '../report/compose.js';
import type { LiveDiff } from '../report/live-section.js';
import { diffRendered } from '../report/rendered-diff.js';
import { upsertStickyComments, type CommentsApi } from '../github/sticky-comments.js';
import { appKey } from '../environments/app-key.js';
import { withBaseCheckout } from './base-checkout.js';
import { limitToEnvironments } from './environment-scope.js';
import type { ActionInputs } from './inputs.js';
import { liveDiff } from './live-diff.js';

/** What the Action knows of the run (from GitHub's environment and event payload). */
export interface ActionContext {
  /** The checked-out repository (GITHUB_WORKSPACE), at the head of the change. */
  readonly workspace: string;
  readonly eventName: string;
  /** The event payload (GITHUB_EVENT_PATH). */
  readonly event: Record<string, any>;
  /** `owner/repo` */
  readonly repository: string;
  /** GitHub's address (GITHUB_SERVER_URL, `https://github.com`), for links to spec lines. */
  readonly serverUrl: string;
  /** Link to this run's job summary, for comments cut short. */
  readonly runUrl: string;
  /** Where the report file goes (RUNNER_TEMP). */
  readonly tempDir: string;
  /** The kubeconfig as a file (the Action writes content given inline to a private file first). */
  readonly kubeconfigPath: string | undefined;
}

/** What the Action does outside: workflow commands, the job summary, comments. */
export interface ActionIo {
  /** Workflow commands (annotations) and log lines, on stdout. */
  readonly out: (text: string) => void;
  readonly summary: (markdown: string) => Promise<void>;
  /** The pull request's comments, when there is a pull request and a token. */
  readonly comments: CommentsApi | undefined;
}

export interface ActionResult {
  readonly changed: boolean;
  /** The keys of the apps that change (appKey: `<app>`, or `<env>/<app>` for an environment's variant). */
  readonly appsChanged: readonly string[];
  readonly reportPath: string;
  /** Why the step fails, if it does. */
  readonly failure: string | undefined;
}

/** The specs of a checkout, compiled with the plugins it declares (as `kubemin render` there would). */
function compileAt(dir: string, paths: readonly string[], secrets: SecretSink): Promise<CompileResult> {
  return loadAndCompile({ paths, cwd: dir, secrets });
}

/** The plugin configs that would apply to the head's spec files (none is loaded to find them). */
async function headPluginConfigs(dir: string, paths: readonly string[]): Promise<string[]> {
  const { files } = await findSpecFiles(paths, dir);
  return repoPluginConfigs(files, (path) =>
    access(join(dir, path)).then(
      () => true,
      () => false,
    ),
  );
}

/**
 * Links to spec lines at the commit they were read from:
 * `<server>/<owner>/<repo>/blob/<sha>/<path>#L<line>`; none for a commit not known by its id or a
 * file outside the repository.
 */
export function sourceUrls(serverUrl: string, repository: string, shas: { head: string | undefined; base: string | undefined }): SourceUrl {
  return (at) => {
    const sha = at.side === 'head' ? shas.head : shas.base;
    if (!sha || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return undefined;
    const parts = at.file.split(/[\\/]/);
    if (isAbsolute(at.file) || parts.some((p) => p === '..' || p === '')) return undefined;
    return `${serverUrl.replace(/\/+$/, '')}/${repository}/blob/${sha}/${parts.map(encodeURIComponent).join('/')}#L${at.line}`;
  };
}

/** The Action's outputs, each scrubbed of the secret values of base and head before it leaves. */
function scrubbing(io: ActionIo, redactor: Redactor): ActionIo {
  return { ...io, out: (text) => io.out(redactor.scrub(text)), summary: (markdown) => io.summary(redactor.scrub(markdown)) };
}

/**
 * The Action: on a pull request, renders the base and the head and reports the difference per
 * app and object (and, with a kubeconfig and not from a fork, the live dry-run diff of the head);
 * validation problems of the head become annotations and fail the step. The report goes to the
 * job summary, a file, and one sticky comment (split when large).
 */
export async function runAction(inputs: ActionInputs, ctx: ActionContext, given: ActionIo): Promise<ActionResult> {
  const redactor = new Redactor();
  const io = scrubbing(given, redactor);
  const writeFile = (path: string, text: string): Promise<void> => writeFileRaw(path, redactor.scrub(text));
  const pr = ctx.event.pull_request as Record<string, any> | undefined;
  const fork = pr !== undefined && pr.head?.repo?.full_name !== (pr.base?.repo?.full_name ?? ctx.repository);
  const reportPath = join(ctx.tempDir, 'kubemin-report.md');
  const baseSha: string | undefined = pr?.base?.sha ?? (ctx.event.before && !/^0+$/.test(ctx.event.before) ? ctx.event.before : undefined);
  const headSha: string = pr?.head?.sha ?? ctx.event.after ?? 'HEAD';
  const reportOptions = {
    maxCommentSize: inputs.maxCommentSize,
    summaryUrl: ctx.runUrl,
    sourceUrl: sourceUrls(ctx.serverUrl, ctx.repository, { head: headSha, base: baseSha }),
  };
  /** The report in the job summary and the report file only (no comment). */
  const publishText = async (text: string): Promise<void> => {
    await writeFile(reportPath, text);
    await io.summary(text);
  };
  const publish = async (parts: ReportParts): Promise<void> => {
    await writeFile(reportPath, parts.summary);
    await io.summary(parts.summary);
    if (inputs.comment && pr && io.comments)
      await comment(
        io,
        parts.comments.map((c) => redactor.scrub(c)),
      );
  };
  try {
    if (fork && ctx.eventName === 'pull_request_target') {
      // The fork's plugins would run as code of this workflow, which has its secrets and a token that may write.
      const configs = await headPluginConfigs(ctx.workspace, inputs.paths);
      if (configs.length) {
        const failure = `this pull request comes from a fork and declares plugins (${configs.join(', ')}): kubemin does not run a fork's code under pull_request_target, where the workflow has its secrets. Run the Action on the pull_request event for forks`;
        const text = `${REPORT_MARKER}\n### kubemin\n\n**Not rendered**: ${failure}.\n`;
        await publish({ comments: [text], summary: text });
        return { changed: false, appsChanged: [], reportPath, failure };
      }
    }
    const head = await compileAt(ctx.workspace, inputs.paths, redactor);
    io.out(formatGithub(head.diagnostics));
    const invalid = head.diagnostics.filter((d) => d.severity === 'error').length;
    if (invalid) {
      // The comment tells this head's problems: an older head's diff left there would mislead.
      const failure = `${invalid} problem${invalid === 1 ? '' : 's'} in the specs (see the annotations)`;
      if (inputs.mode === 'validate') await publishText(`${REPORT_MARKER}\n### kubemin\n\n**${failure}**: nothing was rendered.\n`);
      else await publish(composeReport({ rendered: [], headApps: [], headSha, baseSha: baseSha ?? 'none', invalid: head.diagnostics }, reportOptions));
      return { changed: false, appsChanged: [], reportPath, failure };
    }
    if (inputs.mode === 'validate') {
      await publishText(`${REPORT_MARKER}\n### kubemin\n\nSpecs are valid (${head.apps.length} apps).\n`);
      return { changed: false, appsChanged: [], reportPath, failure: undefined };
    }

    const base = baseSha ? await withBaseCheckout(ctx.workspace, baseSha, (dir) => compileAt(dir, inputs.paths, redactor)) : undefined;
    const problems: string[] = [];
    if (base && base.diagnostics.some((d) => d.severity === 'error'))
      problems.push("The base commit's specs do not compile: every object of the head is shown as created.");
    if (!baseSha) problems.push('No base commit (not a pull request): every object is shown as created.');
    // Each environment's variant is its own app here: a section, a summary row, a live diff in its cluster.
    const apps = limitToEnvironments(inputs.environments, head.apps, base?.apps);
    const rendered = diffRendered(apps.base ?? [], apps.head);

    let live: LiveDiff | undefined;
    if (inputs.mode === 'diff') {
      if (fork) live = { skipped: 'pull request from a fork: it gets no cluster credentials, so only the rendered diff is shown' };
      else if (!ctx.kubeconfigPath) live = { skipped: 'no kubeconfig given: only the rendered diff is shown' };
      else live = await liveDiff(apps.head, ctx.kubeconfigPath, inputs.context || undefined);
    }

    await publish(
      composeReport(
        { rendered, headApps: apps.head, ...(live ? { live } : {}), headSha, baseSha: baseSha ?? 'none', ...(problems.length ? { problems } : {}) },
        reportOptions,
      ),
    );

    const liveApps = live && 'apps' in live ? live.apps : [];
    const liveChanged = liveApps
      .filter((a) => hasChanges(summarize([a])))
      .map((a) => appKey({ name: a.app, ...(a.environment ? { environment: a.environment } : {}) }));
    const appsChanged = [...new Set([...rendered.filter((a) => a.status !== 'unchanged').map((a) => a.key), ...liveChanged])].sort();
    const liveErrors = liveApps.reduce((n, a) => n + a.problems.length, 0);
    const changed = appsChanged.length > 0;
    const failure = liveErrors
      ? `the cluster refused ${liveErrors} object${liveErrors === 1 ? '' : 's'} in the dry-run (see the report)`
      : inputs.failOnChanges && changed
        ? `the change alters ${appsChanged.join(', ')} (fail-on-changes)`
        : undefined;
    return { changed, appsChanged, reportPath, failure };
  } catch (err) {
    // Whatever stopped the report, the comment says so: an older head's report left there would mislead.
    const why = err instanceof Error ? err.message : String(err);
    const text = `${REPORT_MARKER}\n### kubemin\n\n**Not rendered** (head ${escapeHtml(headSha)}): ${escapeHtml(why).replace(/\r?\n/g, ' ')}\n`;
    await publish({ comments: [text], summary: text }).catch(() => undefined);
    throw err;
  }
}

/** The report's comments on the pull request, kept in place; a token that may not write them is a warning. */
async function comment(io: ActionIo, bodies: readonly string[]): Promise<void> {
  try {
    const r = await upsertStickyComments(io.comments!, REPORT_MARKER, bodies);
    io.out(`kubemin: report in ${bodies.length} comment(s): ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.deleted} deleted\n`);
  } catch (err) {
    // A read-only token (a fork's) cannot comment: the job summary still has the report.
    io.out(`::warning title=kubemin::the pull request comment could not be written: ${(err as Error).message.replace(/\n/g, ' ')}\n`);
  }
}
