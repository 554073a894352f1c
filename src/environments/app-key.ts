/** What tells compiled applications apart: one app has one variant per environment. */
export interface AppIdentity {
  readonly name: string;
  /** Set for the variants of an app with environments. */
  readonly environment?: string;
}

/** `"<env>/<app>"` for an environment's variant, `"<app>"` for an app without environments: the key of maps, status files, comment sections. */
export function appKey(app: AppIdentity): string {
  return app.environment ? `${app.environment}/${app.name}` : app.name;
}

/** For messages: `app "books"` or `app "books" (environment "staging")`. */
export function describeApp(app: AppIdentity): string {
  return app.environment ? `application "${app.name}" (environment "${app.environment}")` : `application "${app.name}"`;
}
