import { describe, expect, it } from 'vitest';
import { CachedValue } from '../../src/cluster/auth/cached-value.js';

/** The cache behind exec plugin credentials and token files, with a clock the test moves. */
describe('CachedValue', () => {
  const setup = (opts: { expiresIn?: number; failureMs?: number; values?: Array<string | Error> } = {}) => {
    let t = 0;
    let fetches = 0;
    const values = opts.values ?? ['a', 'b', 'c', 'd'];
    const cache = new CachedValue<string>(
      async () => {
        const v = values[Math.min(fetches++, values.length - 1)]!;
        if (v instanceof Error) throw v;
        return { value: v, ...(opts.expiresIn !== undefined ? { expiresAt: t + opts.expiresIn } : {}) };
      },
      () => t,
      opts.failureMs,
    );
    return { cache, fetches: () => fetches, advance: (ms: number) => void (t += ms) };
  };
  const same = (a: string, b: string): boolean => a === b;

  it('fetches once for concurrent callers and keeps the value while it has not expired', async () => {
    const c = setup({ expiresIn: 1000 });
    expect(await Promise.all([c.cache.get(), c.cache.get(), c.cache.get()])).toEqual(['a', 'a', 'a']);
    expect(c.fetches()).toBe(1);
    c.advance(999);
    expect(await c.cache.get()).toBe('a');
    c.advance(1);
    expect(await c.cache.get()).toBe('b');
    expect(c.fetches()).toBe(2);
  });

  it('without an expiry, keeps the value until it is renewed; a renewal that gives the same value is no renewal', async () => {
    const c = setup({ values: ['a', 'a', 'b'] });
    expect(await c.cache.get()).toBe('a');
    c.advance(1e9);
    expect(await c.cache.get()).toBe('a');
    expect(await c.cache.renew('a', same)).toBeUndefined(); // fetched again: the same
    expect(await c.cache.renew('a', same)).toBe('b');
    // Refused callers holding the old value get the new one without another fetch.
    expect(await c.cache.renew('a', same)).toBe('b');
    expect(c.fetches()).toBe(3);
  });

  it('concurrent renewals of the same refused value share one fetch', async () => {
    const c = setup();
    await c.cache.get();
    expect(await Promise.all([c.cache.renew('a', same), c.cache.renew('a', same)])).toEqual(['b', 'b']);
    expect(c.fetches()).toBe(2);
  });

  it('after a failure, gives the same error without fetching until failureMs passed', async () => {
    const c = setup({ failureMs: 2000, values: [new Error('plugin exited 1'), 'ok'] });
    await expect(c.cache.get()).rejects.toThrow('plugin exited 1');
    c.advance(1999);
    await expect(c.cache.get()).rejects.toThrow('plugin exited 1');
    expect(c.fetches()).toBe(1);
    c.advance(1);
    expect(await c.cache.get()).toBe('ok');
    expect(c.fetches()).toBe(2);
  });
});
