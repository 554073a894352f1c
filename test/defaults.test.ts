import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_APP_CONCURRENCY, DEFAULT_LEASE_DURATION_MS, DEFAULT_LEASE_RENEW_MS, DEFAULT_OBJECT_CONCURRENCY } from '../src/defaults.js';
import { formatDuration, parseDuration } from '../src/k8s/formats/duration.js';
import { cli } from './helpers/cli.js';
import { REPO } from './helpers/tree.js';

/** The defaults of src/defaults.ts are the ones the CLI states and uses (its help is not a copy of them). */
describe('defaults', () => {
  it('are sane: a renewal shorter than the lease, at least one app and one request at a time', () => {
    expect(DEFAULT_LEASE_RENEW_MS).toBeGreaterThan(0);
    expect(DEFAULT_LEASE_RENEW_MS).toBeLessThan(DEFAULT_LEASE_DURATION_MS);
    expect(DEFAULT_LEASE_DURATION_MS % 1000).toBe(0);
    expect(Number.isInteger(DEFAULT_APP_CONCURRENCY) && DEFAULT_APP_CONCURRENCY >= 1).toBe(true);
    expect(Number.isInteger(DEFAULT_OBJECT_CONCURRENCY) && DEFAULT_OBJECT_CONCURRENCY >= 1).toBe(true);
  });

  it('kubemin watch --help gives them, in a form its flags accept', async () => {
    const help = (await cli(['watch', '--help'])).stdout.replace(/\s+/g, ' ');
    const stated = (flag: string): string | undefined => new RegExp(`${flag} <[a-z]+> [^-]*?\\(default: "([^"]+)"\\)`).exec(help)?.[1];
    expect(stated('--lease-duration')).toBe(formatDuration(DEFAULT_LEASE_DURATION_MS));
    expect(stated('--lease-renew')).toBe(formatDuration(DEFAULT_LEASE_RENEW_MS));
    expect(stated('--app-concurrency')).toBe(String(DEFAULT_APP_CONCURRENCY));
    expect(parseDuration(stated('--lease-duration')!)).toBe(DEFAULT_LEASE_DURATION_MS);
    expect(parseDuration(stated('--lease-renew')!)).toBe(DEFAULT_LEASE_RENEW_MS);
  });

  it('deploy/kubemin.yaml states the ones it relies on as kubemin watch --help gives them', async () => {
    const help = (await cli(['watch', '--help'])).stdout.replace(/\s+/g, ' ');
    const deploy = readFileSync(join(REPO, 'deploy/kubemin.yaml'), 'utf8').replace(/\s*#\s*/g, ' ');
    const stated = [...deploy.matchAll(/\((--[a-z-]+), default ([^)\s]+)\)/g)].map((m) => ({ flag: m[1]!, value: m[2]! }));
    expect(stated.map((s) => s.flag)).toEqual(expect.arrayContaining(['--interval', '--lease-duration']));
    for (const { flag, value } of stated)
      expect(`${flag} ${value}`).toBe(`${flag} ${new RegExp(`${flag} <[a-z]+> [^-]*?\\(default: "([^"]+)"\\)`).exec(help)?.[1]}`);
  });
});
