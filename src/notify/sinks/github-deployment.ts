import { APPLY_KINDS, describeFailure, type Notification, type NotificationKind } from '../notification.js';
import { DeliveryError } from './http.js';
import { githubApplyState, githubHeaders, githubProperties, repoUrl, resolveGitHub, type GitHubSettings } from './github.js';
import { truncate, type SinkDefinition } from './types.js';

interface DeploymentSettings extends GitHubSettings {
  /** Environments GitHub shows as production. */
  readonly production: readonly string[];
  /** The deployed app's URL, `{app}` and `{environment}` replaced: the deployment's environment_url. */
  readonly environmentUrl?: string;
}

type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error';

const DEFAULT_PRODUCTION = ['production', 'prod'];

/** Deployment ids remembered (per app, environment and commit) until their apply ends; the oldest forgotten beyond. */
const REMEMBERED = 1000;

function deploymentState(kind: NotificationKind): DeploymentState | undefined {
  const state = githubApplyState(kind);
  return state === 'started' ? 'in_progress' : state;
}

/** The GitHub environment of an app: its environment, else its name. */
function environmentOf(n: Notification): string {
  return n.environment ?? n.app;
}

/** The request body of `POST /repos/{owner}/{repo}/deployments`. */
function deploymentRequest(n: Notification, settings: Pick<DeploymentSettings, 'production'>): Record<string, unknown> {
  const environment = environmentOf(n);
  return {
    ref: n.commit.sha,
    task: 'deploy',
    environment,
    auto_merge: false,
    required_contexts: [],
    transient_environment: false,
    production_environment: settings.production.includes(environment),
    description: truncate(`kubemin applies ${n.key}`, 140),
    payload: { app: n.app, ...(n.environment ? { environment: n.environment } : {}), namespace: n.namespace },
  };
}

/** The request body of `POST .../deployments/{id}/statuses`. */
function deploymentStatus(n: Notification, settings: Pick<DeploymentSettings, 'environmentUrl'>): Record<string, unknown> | undefined {
  const state = deploymentState(n.kind);
  if (!state) return undefined;
  const description = n.failure ? `${n.outcome} at ${describeFailure(n.failure)}` : n.summary;
  const url = settings.environmentUrl?.replaceAll('{app}', encodeURIComponent(n.app)).replaceAll('{environment}', encodeURIComponent(n.environment ?? ''));
  return {
    state,
    description: truncate(description, 140),
    ...(n.link ? { log_url: n.link } : {}),
    ...(url && state === 'success' ? { environment_url: url } : {}),
    auto_inactive: true,
  };
}

/**
 * The GitHub Deployments API: a deployment per apply (app, environment, commit), created at its
 * start (or at its end when the start was missed), and its statuses, so that a pull request shows
 * "deployed to production".
 */
export const githubDeploymentSink: SinkDefinition<DeploymentSettings> = {
  type: 'github-deployment',
  description: 'GitHub deployments with their statuses',
  handles: APPLY_KINDS,
  defaultEvents: APPLY_KINDS,
  properties: {
    ...githubProperties,
    productionEnvironments: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'Environments GitHub shows as production (default: production, prod)',
    },
    environmentUrl: { type: 'string', pattern: '^https?://', description: 'The deployed app URL; {app} and {environment} are replaced' },
  },
  required: ['repository'],
  resolve(entry, ctx) {
    const github = resolveGitHub(entry, ctx);
    if (!github) return undefined;
    const production = (entry.productionEnvironments as string[] | undefined) ?? DEFAULT_PRODUCTION;
    return { ...github, production, ...(typeof entry.environmentUrl === 'string' ? { environmentUrl: entry.environmentUrl } : {}) };
  },
  create(settings, ctx) {
    /** Per app and commit: the deployment of its last apply, and the id of the start event that created it (a retry of that event reuses it). */
    const ids = new Map<string, { readonly id: number; readonly startedBy?: string }>();
    const headers = githubHeaders(settings);
    return {
      name: ctx.name,
      type: 'github-deployment',
      async deliver(n, post) {
        const status = deploymentStatus(n, settings);
        if (!status) return;
        const key = `${n.key}\0${n.commit.sha}`;
        const known = ids.get(key);
        let id = known && (n.kind !== 'apply.started' || known.startedBy === n.id) ? known.id : undefined;
        if (id === undefined) {
          const created = await post(repoUrl(settings, '/deployments'), JSON.stringify(deploymentRequest(n, settings)), headers);
          const value = (created.json as { id?: unknown } | undefined)?.id;
          if (typeof value !== 'number') throw new DeliveryError(`GitHub did not create a deployment (HTTP ${created.status}, no id)`, false);
          id = value;
          ids.delete(key);
          ids.set(key, { id, ...(n.kind === 'apply.started' ? { startedBy: n.id } : {}) });
          if (ids.size > REMEMBERED) ids.delete(ids.keys().next().value!);
        }
        await post(repoUrl(settings, `/deployments/${id}/statuses`), JSON.stringify(status), headers);
        if (n.kind !== 'apply.started') ids.delete(key);
      },
    };
  },
};
