import type { JsonSchema } from '../../spec/json-schema.js';
import type { Notification, NotificationKind } from '../notification.js';
import { secretProperties, type ResolveContext } from './types.js';

/** What the GitHub sinks share: the repository, the API and the token. */
export interface GitHubSettings {
  readonly owner: string;
  readonly repo: string;
  /** The REST API's base URL, without a trailing slash. */
  readonly api: string;
  readonly token: string;
}

const DEFAULT_GITHUB_API = 'https://api.github.com';

export const githubProperties: Record<string, JsonSchema> = {
  repository: { type: 'string', pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$', description: 'The repository, owner/name' },
  api: { type: 'string', pattern: '^https?://[^/?#@]+(/[^?#@]*)?$', description: 'The REST API base URL (GitHub Enterprise: https://<host>/api/v3)' },
  ...secretProperties('token', 'GitHub token (repo:status, deployments: write)', 'never'),
};

export function resolveGitHub(entry: Record<string, unknown>, ctx: ResolveContext): GitHubSettings | undefined {
  const token = ctx.secret(entry, 'token', { required: true, plain: 'never' });
  if (token === undefined) return undefined;
  const [owner, repo] = String(entry.repository).split('/') as [string, string];
  const api = typeof entry.api === 'string' ? entry.api.replace(/\/+$/, '') : DEFAULT_GITHUB_API;
  return { owner, repo, api, token };
}

export function githubHeaders(settings: GitHubSettings): Record<string, string> {
  return {
    Accept: 'application/vnd.github+json',
    Authorization: `Bearer ${settings.token}`,
    'Content-Type': 'application/json; charset=utf-8',
    'X-GitHub-Api-Version': '2022-11-28',
  };
}

export function repoUrl(settings: GitHubSettings, rest: string): string {
  return `${settings.api}/repos/${encodeURIComponent(settings.owner)}/${encodeURIComponent(settings.repo)}${rest}`;
}

/** `kubemin/<app>[/<env>]`: the context of a commit status. */
export function statusContext(n: Pick<Notification, 'app' | 'environment'>): string {
  return n.environment ? `kubemin/${n.app}/${n.environment}` : `kubemin/${n.app}`;
}

/**
 * How GitHub reads an apply's event (commit statuses and deployment statuses say the same four
 * things, `started` being `pending` for one and `in_progress` for the other); undefined for the
 * events that are not about an apply.
 */
export function githubApplyState(kind: NotificationKind): 'started' | 'success' | 'failure' | 'error' | undefined {
  switch (kind) {
    case 'apply.started':
      return 'started';
    case 'apply.succeeded':
      return 'success';
    case 'apply.failed':
    case 'apply.rejected':
      return 'failure';
    case 'apply.interrupted':
      return 'error';
    case 'drift.found':
    case 'drift.corrected':
    case 'status.push-failed':
      return undefined;
  }
}
