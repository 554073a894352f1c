import type { Notification, NotificationKind, NotificationOutcome } from './notification.js';

/** Which notifications a sink gets: all the filters given must match. */
export interface Route {
  readonly events: readonly NotificationKind[];
  /** Globs (`*`, `?`) matched against the app's name or its key (`production/shop`). */
  readonly apps?: readonly string[];
  /** Globs matched against the environment: an app outside any environment matches none. */
  readonly environments?: readonly string[];
  readonly outcomes?: readonly NotificationOutcome[];
}

export function routeMatches(route: Route, n: Notification): boolean {
  if (!route.events.includes(n.kind)) return false;
  if (route.outcomes && !route.outcomes.includes(n.outcome)) return false;
  if (route.apps && !route.apps.some((g) => globMatches(g, n.app) || globMatches(g, n.key))) return false;
  if (route.environments) {
    const env = n.environment;
    if (env === undefined || !route.environments.some((g) => globMatches(g, env))) return false;
  }
  return true;
}

/** `*` any run of characters, `?` one; the rest literal; the whole text must match. */
function globMatches(glob: string, text: string): boolean {
  const pattern = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`, 'su').test(text);
}
