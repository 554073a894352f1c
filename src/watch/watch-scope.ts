import type { CompiledApp } from '../compile.js';
import { appKey, type AppIdentity } from '../environments/app-key.js';
import { selectEnvironment } from '../environments/select-environment.js';
import { KubeminError } from '../errors/kubemin-error.js';
import type { LogFields, LogLevel } from './logger.js';
import type { AppLabels } from './metrics.js';

/** The cluster a daemon applies to: the one its kubeconfig (or its pod) gives it, whatever an environment says. */
export interface DaemonCluster {
  /** The kubeconfig context's name (in a pod without a kubeconfig, client-node's name for the in-cluster one). */
  readonly context: string;
  /** `flag`: `--context`; `current-context`: the kubeconfig's; `in-cluster`: the pod's service account, no context names. */
  readonly source: 'flag' | 'current-context' | 'in-cluster';
}

/** What a revision gives one daemon to apply. */
export type Selected =
  { readonly ok: true; readonly apps: CompiledApp[]; readonly skipped: readonly string[] } | { readonly ok: false; readonly error: string };

export interface Notice {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields;
}

/**
 * What one daemon deploys: with `--env NAME`, that environment's variant of each app that has
 * environments, and every app without (selectEnvironment); without, every app and every variant.
 * The daemon of a fleet (one per cluster) keeps its status reports, metrics and events under the
 * environment: `<env>/<app>`, an app without environments included, since each cluster's daemon
 * applies it to its own cluster and reports on that.
 */
export class WatchScope {
  /** Notices already given (each once per daemon). */
  private readonly said = new Set<string>();

  constructor(
    /** The daemon's `--env`. */
    readonly environment: string | undefined,
    private readonly cluster?: DaemonCluster,
  ) {}

  /** The app's key for status reports (`.kubemin/status/<key>.yaml`), the daemon's maps and events. */
  key(app: AppIdentity): string {
    const environment = this.environmentOf(app);
    return appKey(environment ? { name: app.name, environment } : { name: app.name });
  }

  /** The environment an apply is for: the daemon's, else the variant's own; the `environment` label and report field. */
  environmentOf(app: AppIdentity): string | undefined {
    return this.environment ?? app.environment;
  }

  /** An app's metric labels and log fields: its name, and its environment when it has one. */
  labels(app: AppIdentity): AppLabels {
    const environment = this.environmentOf(app);
    return environment ? { app: app.name, environment } : { app: app.name };
  }

  /** The apps of a compiled revision this daemon applies; an `--env` no app has applies nothing (an error to log). */
  select(apps: readonly CompiledApp[]): Selected {
    try {
      const { apps: selected, skipped } = selectEnvironment(apps, this.environment);
      return { ok: true, apps: selected, skipped };
    } catch (err) {
      if (err instanceof KubeminError) return { ok: false, error: err.message };
      throw err;
    }
  }

  /**
   * What to say, once per daemon, about where the selected apps go. The daemon applies to its own
   * cluster (it runs there): an environment that names another kubeconfig context (`cluster`) is
   * applied here all the same, with a warning, since the two were meant to be one. In a pod,
   * context names mean nothing: it is only said. Without `--env`, every environment is applied
   * here: a warning too, since a fleet gives each daemon its environment.
   */
  notices(apps: readonly CompiledApp[]): Notice[] {
    const out: Notice[] = [];
    const once = (key: string, notice: Notice): void => {
      if (this.said.has(key)) return;
      this.said.add(key);
      out.push(notice);
    };
    const environments = [...new Set(apps.flatMap((a) => (a.environment ? [a.environment] : [])))].sort();
    if (this.environment === undefined && environments.length) {
      once(`all\0${environments.join(',')}`, {
        level: 'warn',
        message: 'no --env: the variants of every environment are applied to this cluster; a fleet runs one daemon per cluster with --env NAME',
        fields: { environments: environments.join(',') },
      });
    }
    for (const app of apps) {
      if (!app.environment || !app.cluster || !this.cluster || app.cluster === this.cluster.context) continue;
      const key = `${app.environment}\0${app.cluster}`;
      if (this.cluster.source === 'in-cluster') {
        once(key, {
          level: 'info',
          message: `environment "${app.environment}" names cluster "${app.cluster}": applied to the cluster this daemon runs in`,
          fields: { app: app.name, environment: app.environment, cluster: app.cluster },
        });
        continue;
      }
      const how = this.cluster.source === 'flag' ? '--context' : 'the current context of the kubeconfig';
      once(key, {
        level: 'warn',
        message:
          `environment "${app.environment}" names cluster "${app.cluster}", but this daemon applies to context "${this.cluster.context}" (${how}): ` +
          `it is applied there all the same; run the daemon of environment "${app.environment}" with --context ${app.cluster}, or correct the environment's cluster`,
        fields: { app: app.name, environment: app.environment, cluster: app.cluster, context: this.cluster.context },
      });
    }
    return out;
  }
}
