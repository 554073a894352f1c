import { describe, expect, it } from 'vitest';
import { closest } from '../../src/diagnostics/did-you-mean.js';

describe('closest (did you mean)', () => {
  it('finds a typo within a third of the length', () => {
    expect(closest('prodution', ['staging', 'production'])).toBe('production');
    expect(closest('replica', new Set(['replicas', 'image']).values())).toBe('replicas');
  });

  it('takes a short form of exactly one name as that name', () => {
    expect(closest('prod', ['dev', 'staging', 'production'])).toBe('production');
    expect(closest('prod', ['production', 'prod-eu-2'])).toBeUndefined();
    expect(closest('pr', ['production'])).toBeUndefined();
  });

  it('says nothing when nothing is close', () => {
    expect(closest('zzz', ['production', 'staging'])).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });
});
