/** The paths of the web view's pages. An app's key (`shop`, `production/shop`) keeps its `/`, each segment URL-encoded. */
const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

/** An app's page. */
export function appPath(key: string): string {
  return `/apps/${encodeKey(key)}`;
}

/** An app's history. */
export function historyPath(key: string): string {
  return `/history/${encodeKey(key)}`;
}
