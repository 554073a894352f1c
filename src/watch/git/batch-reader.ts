import type { GitRunner } from './git-runner.js';
import { readObjects, type BatchObject } from './read-objects.js';

interface Pending {
  readonly request: string;
  readonly resolve: (object: BatchObject | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Reads single objects (`<oid>`, `<commit>:<path>`) asked for at about the same time with one
 * `git cat-file --batch`: the requests of one turn of the event loop go together. The daemon
 * asks whether a plugin config exists in every directory of every spec (3 names each, 300 for 100
 * apps): one git process instead of one each.
 */
export class BatchReader {
  private pending: Pending[] = [];

  constructor(private readonly git: GitRunner) {}

  read(request: string): Promise<BatchObject | undefined> {
    return new Promise((resolve, reject) => {
      if (this.pending.push({ request, resolve, reject }) === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const objects = await readObjects(
        this.git,
        batch.map((p) => p.request),
      );
      batch.forEach((p, i) => p.resolve(objects[i]));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
