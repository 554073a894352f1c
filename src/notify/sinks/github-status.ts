import { APPLY_KINDS, describeFailure, type Notification, type NotificationKind } from '../notification.js';
import { githubApplyState, githubHeaders, githubProperties, repoUrl, resolveGitHub, statusContext, type GitHubSettings } from './github.js';
import { truncate, type SinkDefinition } from './types.js';

type StatusState = 'pending' | 'success' | 'failure' | 'error';

/** The commit status of an apply's event; undefined for the events that are not about an apply. */
function commitStatusState(kind: NotificationKind): StatusState | undefined {
  const state = githubApplyState(kind);
  return state === 'started' ? 'pending' : state;
}

/** The request body of `POST /repos/{owner}/{repo}/statuses/{sha}`. */
function commitStatus(n: Notification): Record<string, unknown> | undefined {
  const state = commitStatusState(n.kind);
  if (!state) return undefined;
  const description = n.failure ? `${n.outcome} at ${describeFailure(n.failure)}` : n.summary;
  return {
    state,
    context: statusContext(n),
    description: truncate(description, 140),
    ...(n.link ? { target_url: n.link } : {}),
  };
}

/** GitHub commit statuses on the applied commit: `kubemin/<app>[/<env>]` pending, success, failure or error. */
export const githubStatusSink: SinkDefinition<GitHubSettings> = {
  type: 'github-status',
  description: 'GitHub commit statuses on the applied commit',
  handles: APPLY_KINDS,
  defaultEvents: APPLY_KINDS,
  properties: githubProperties,
  required: ['repository'],
  resolve: resolveGitHub,
  create(settings, ctx) {
    return {
      name: ctx.name,
      type: 'github-status',
      async deliver(n, post) {
        const body = commitStatus(n);
        if (!body) return;
        await post(repoUrl(settings, `/statuses/${encodeURIComponent(n.commit.sha)}`), JSON.stringify(body), githubHeaders(settings));
      },
    };
  },
};
