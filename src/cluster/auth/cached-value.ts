/**
 * A value fetched at most once at a time and kept until it expires (if it says when) or is
 * renewed: what exec plugin credentials and token files need.
 */
export class CachedValue<T> {
  private held: { readonly value: T; readonly expiresAt: number | undefined } | undefined;
  private pending: Promise<T> | undefined;
  /** The last fetch's failure, given again to callers until `failureMs` after it (no fetch per request while it fails). */
  private failed: { readonly error: unknown; readonly at: number } | undefined;

  constructor(
    private readonly fetch: () => Promise<{ readonly value: T; readonly expiresAt?: number | undefined }>,
    private readonly now: () => number = Date.now,
    private readonly failureMs = 0,
  ) {}

  /** The value while it has not expired, else a fresh one. */
  get(): Promise<T> {
    const held = this.held;
    if (held && (held.expiresAt === undefined || this.now() < held.expiresAt)) return Promise.resolve(held.value);
    return this.refresh();
  }

  /**
   * `refused` did not work: a value that differs from it, or undefined when the source gives the
   * same again. When another caller renewed it already, that value (no second fetch).
   */
  async renew(refused: T, same: (a: T, b: T) => boolean): Promise<T | undefined> {
    const held = this.held;
    if (!this.pending && held && !same(held.value, refused) && (held.expiresAt === undefined || this.now() < held.expiresAt)) return held.value;
    const next = await this.refresh();
    return same(next, refused) ? undefined : next;
  }

  private refresh(): Promise<T> {
    if (this.failed && this.now() - this.failed.at < this.failureMs) return Promise.reject(this.failed.error);
    this.pending ??= this.fetch()
      .then(
        ({ value, expiresAt }) => {
          this.held = { value, expiresAt };
          this.failed = undefined;
          return value;
        },
        (error: unknown) => {
          this.failed = { error, at: this.now() };
          throw error;
        },
      )
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
