import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { colorFor } from '../../src/cli/color.js';
import { diffProgress, PROGRESS_DELAY_MS } from '../../src/cli/diff-progress.js';
import type { Io } from '../../src/cli/output.js';
import { testCluster } from '../cluster/cluster.js';
import { tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';
import { builtBinary } from '../plugins/built-binary.js';

/** Colour is decided by the stream written to, NO_COLOR and FORCE_COLOR; diff's progress shows on a terminal only. */

/** The start of an ANSI escape sequence, and the green of an added line. */
const ESC = '\x1b[';
const GREEN_PLUS = '\x1b[32m+';

describe('colorFor', () => {
  it('a terminal gets colour, a pipe or file none; NO_COLOR turns it off, FORCE_COLOR on (and wins); TERM=dumb none', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colorFor(tty, {})).toBe(true);
    expect(colorFor(pipe, {})).toBe(false);
    expect(colorFor({}, {})).toBe(false);
    expect(colorFor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colorFor(tty, { NO_COLOR: '' })).toBe(true); // set but empty: not set (no-color.org)
    expect(colorFor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorFor(pipe, { FORCE_COLOR: 'true' })).toBe(true);
    expect(colorFor(pipe, { FORCE_COLOR: '' })).toBe(false);
    expect(colorFor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorFor(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colorFor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(colorFor(tty, { TERM: 'dumb' })).toBe(false);
  });
});

describe('kubemin diff in a real pseudo-terminal (script)', () => {
  const cluster = testCluster();
  let bin: string;
  beforeAll(async () => {
    bin = await builtBinary();
  }, 60_000);

  /** Runs `kubemin diff examples/shop` in a pty (util-linux script), stdout to `redirect` when given; returns what the terminal showed. */
  function inTerminal(env: Record<string, string>, redirect?: string): string {
    const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    const cmd = `${q(process.execPath)} ${q(bin)} diff ${q(join(REPO, 'examples/shop'))} --kubeconfig ${q(cluster.kubeconfig)}${redirect ? ` > ${q(redirect)}` : ''}`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, TERM: 'xterm', NO_COLOR: '', FORCE_COLOR: '', ...env },
    });
    // diff exits 1: differences (everything is to be created).
    expect(r.status, r.stdout + r.stderr).toBe(1);
    return r.stdout;
  }

  it('stdout on the terminal is coloured; redirected to a file it has no escape codes (the terminal still shows stderr)', () => {
    const shown = inTerminal({});
    expect(shown).toContain(ESC);
    expect(shown).toContain(GREEN_PLUS);
    const file = join(tempDir(), 'diff.txt');
    inTerminal({}, file);
    const written = readFileSync(file, 'utf8');
    expect(written).toMatch(/^\+kind: Deployment$/m);
    expect(written).not.toContain(ESC);
  });

  it('NO_COLOR: none on the terminal; FORCE_COLOR: colour even in the file', () => {
    const plain = inTerminal({ NO_COLOR: '1' });
    expect(plain).toContain('+kind: Deployment');
    expect(plain).not.toContain(GREEN_PLUS);
    const file = join(tempDir(), 'diff.txt');
    inTerminal({ FORCE_COLOR: '1' }, file);
    expect(readFileSync(file, 'utf8')).toContain(GREEN_PLUS);
  });
});

describe("diff's progress", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const io = (stderrInteractive: boolean): { io: Io; err: string[] } => {
    const err: string[] = [];
    return { io: { stdout: () => undefined, stderr: (s) => void err.push(s), color: false, stderrInteractive }, err };
  };

  it('on a terminal: nothing for the first second, then one line redrawn in place, erased at the end', () => {
    vi.useFakeTimers();
    const { io: term, err } = io(true);
    const p = diffProgress(term);
    let requests = 0;
    p.onProgress({ stage: 'compiling' });
    vi.advanceTimersByTime(PROGRESS_DELAY_MS - 1);
    expect(err).toEqual([]);
    p.onProgress({ stage: 'comparing', apps: 2, objects: 9, requests: () => requests });
    requests = 4;
    vi.advanceTimersByTime(1);
    expect(err).toEqual(['\r\x1b[K⠋ comparing 9 object(s) of 2 application(s) with the cluster: 4 request(s) sent']);
    requests = 7;
    vi.advanceTimersByTime(100);
    expect(err[1]).toBe('\r\x1b[K⠙ comparing 9 object(s) of 2 application(s) with the cluster: 7 request(s) sent');
    p.stop();
    expect(err.at(-1)).toBe('\r\x1b[K');
    const n = err.length;
    vi.advanceTimersByTime(5000);
    expect(err.length).toBe(n);
  });

  it('a diff done within the second shows nothing; neither does one whose stderr is no terminal', () => {
    vi.useFakeTimers();
    const quick = io(true);
    const p = diffProgress(quick.io);
    vi.advanceTimersByTime(PROGRESS_DELAY_MS - 1);
    p.stop();
    vi.advanceTimersByTime(5000);
    expect(quick.err).toEqual([]);
    const piped = io(false);
    const q = diffProgress(piped.io);
    q.onProgress({ stage: 'comparing', apps: 1, objects: 1, requests: () => 1 });
    vi.advanceTimersByTime(5000);
    q.stop();
    expect(piped.err).toEqual([]);
  });
});
