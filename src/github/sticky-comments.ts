/** The few calls on a pull request's comments kubemin needs (the GitHub REST API, or a test's stand-in). */
export interface CommentsApi {
  /** Every comment of the pull request, oldest first. */
  list(): Promise<Array<{ readonly id: number; readonly body: string }>>;
  create(body: string): Promise<number>;
  update(id: number, body: string): Promise<void>;
  remove(id: number): Promise<void>;
}

export interface StickyResult {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deleted: number;
  /** Comment ids, in order of the bodies. */
  readonly ids: readonly number[];
}

/**
 * Keeps one report per pull request, in one or more comments that start with `marker`: the
 * comments found (oldest first) are updated in place, missing ones created, extra ones (a report
 * that shrank) deleted. Running it again with the same bodies changes nothing; it never
 * duplicates a report.
 */
export async function upsertStickyComments(api: CommentsApi, marker: string, bodies: readonly string[]): Promise<StickyResult> {
  if (bodies.some((b) => !b.startsWith(marker))) throw new Error(`every comment body must start with the marker ${marker}`);
  const ours = (await api.list()).filter((c) => c.body.startsWith(marker)).sort((a, b) => a.id - b.id);
  const ids: number[] = [];
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (const [i, body] of bodies.entries()) {
    const existing = ours[i];
    if (!existing) {
      ids.push(await api.create(body));
      created++;
    } else if (existing.body !== body) {
      await api.update(existing.id, body);
      ids.push(existing.id);
      updated++;
    } else {
      ids.push(existing.id);
      unchanged++;
    }
  }
  for (const extra of ours.slice(bodies.length)) await api.remove(extra.id);
  return { created, updated, unchanged, deleted: Math.max(0, ours.length - bodies.length), ids };
}
