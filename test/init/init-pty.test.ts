// `kubemin init` on a real pseudo-terminal: the command runs in a detached tmux session, the test
// types the answers with send-keys and reads the screen with capture-pane. Each session has its own
// tmux server (its socket in a temporary directory) and is killed at the end of the test.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';

const POLL_MS = 50;
/** Polls before giving up: node and tsx start in about 2 s, each answer takes a few ms. */
const MAX_POLLS = 1200;

interface Pty {
  /** Types `text`, then Enter. */
  answer(text: string): void;
  key(name: string): void;
  screen(): string;
  /** Polls the screen until `pattern` is on it; fails with the screen after MAX_POLLS. */
  waitFor(pattern: RegExp | string): Promise<string>;
}

const sessions: Array<{ socket: string; session: string }> = [];
let counter = 0;

afterEach(() => {
  for (const { socket, session } of sessions.splice(0)) {
    for (const args of [['kill-session', '-t', session], ['kill-server']]) {
      try {
        execFileSync('tmux', ['-S', socket, ...args], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    rmSync(join(socket, '..'), { recursive: true, force: true });
  }
});

function tmuxAvailable(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts `kubemin init <args>` (test/init/init-process.ts) in a new tmux session, from the repo root. */
function startInit(args: string[]): Pty {
  if (!tmuxAvailable()) throw new Error('this test needs tmux (apt-get install tmux)');
  const session = `kubemin-init-${process.pid}-${++counter}`;
  const socket = join(tempDir('kubemin-tmux-'), 'socket');
  const quoted = ['node', '--import', 'tsx', 'test/init/init-process.ts', 'init', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // The exit status stays on the screen; the sleep keeps the pane open until the session is killed.
  const command = `${quoted}; echo "[exit $?]"; sleep 3600`;
  const tmux = (...a: string[]): string => execFileSync('tmux', ['-S', socket, ...a], { encoding: 'utf8', cwd: REPO });
  tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '80', '-c', REPO, command);
  sessions.push({ socket, session });
  const screen = (): string => tmux('capture-pane', '-p', '-J', '-t', session, '-S', '-500');
  return {
    answer(text) {
      if (text) tmux('send-keys', '-t', session, '-l', text);
      tmux('send-keys', '-t', session, 'Enter');
    },
    key(name) {
      tmux('send-keys', '-t', session, name);
    },
    screen,
    async waitFor(pattern) {
      for (let i = 0; i < MAX_POLLS; i++) {
        const s = screen();
        if (typeof pattern === 'string' ? s.includes(pattern) : pattern.test(s)) return s;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      throw new Error(`the screen never showed ${String(pattern)}; it shows:\n${screen()}`);
    },
  };
}

describe('kubemin init on a terminal', () => {
  it('asks, re-asks an invalid name with the reason, and writes a spec that compiles', async () => {
    const dir = join(tempDir(), 'shop');
    const pty = startInit(['--dir', dir]);
    await pty.waitFor('Application name [shop]: ');
    pty.answer('Bad_Name');
    await pty.waitFor(/"Bad_Name" must be a lowercase RFC 1123 label.*it contains uppercase letters and '_'\nApplication name \[shop\]: $/m);
    pty.answer('');
    await pty.waitFor('Namespace [shop]: ');
    pty.answer('shop-dev');
    await pty.waitFor('Create the namespace shop-dev? (yes, no) [yes]: ');
    pty.answer('y');
    await pty.waitFor('Component 1 name [shop]: ');
    pty.answer('web');
    const types = await pty.waitFor('Type of web (webservice, worker, store, job, cronjob, config, secret) [webservice]: ');
    expect(types).toContain('Component types:\n  webservice  A long-running service: a Deployment, and a Service when it has ports.\n');
    pty.answer('');
    await pty.waitFor('Image of web: ');
    pty.answer('nginx 1.27');
    await pty.waitFor(/it contains whitespace\nImage of web: $/m);
    pty.answer('nginx:1.27');
    await pty.waitFor('Port of web [8080]: ');
    pty.answer('');
    await pty.waitFor('Component 2 name (empty: done): ');
    pty.answer('cache');
    await pty.waitFor('Type of cache');
    pty.answer('store');
    await pty.waitFor('Image of cache [nginx:1.27]: ');
    pty.answer('redis:7.2');
    await pty.waitFor('Port of cache [8080]: ');
    pty.answer('6379');
    await pty.waitFor('Component 3 name (empty: done): ');
    pty.answer('');
    await pty.waitFor('How many of the last components deploy together, in parallel (0: each after the one before) [0]: ');
    pty.answer('2');
    const end = await pty.waitFor(/\[exit \d+\]/);
    expect(end).toContain(`wrote ${join(dir, 'kubemin.yaml')}: application shop, 2 component(s), 2 phase(s)\n`);
    expect(end).toContain('[exit 0]');

    const text = readFileSync(join(dir, 'kubemin.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=.kubemin/schema.json');
    expect(existsSync(join(dir, '.kubemin', 'schema.json'))).toBe(true);
    const result = compile([{ path: 'kubemin.yaml', text }]);
    expect(result.diagnostics).toEqual([]);
    const [app] = result.apps;
    expect(app).toMatchObject({ name: 'shop', namespace: 'shop-dev' });
    expect(app!.phases.map((p) => `${p.name}: ${p.objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`).join(' ')}`)).toEqual([
      'namespace: Namespace/shop-dev',
      'parallel: Service/cache Service/cache-headless Service/web StatefulSet/cache Deployment/web',
    ]);
  });

  it('Ctrl-C exits 130 and Ctrl-D (end of input) exits 2, writing nothing', async () => {
    for (const [key, status, message] of [
      ['C-c', 130, 'interrupted: nothing was written'],
      ['C-d', 2, 'the input ended before every question was answered: nothing was written'],
    ] as const) {
      const dir = tempDir();
      const pty = startInit(['--dir', dir]);
      await pty.waitFor('Application name');
      pty.answer('shop');
      await pty.waitFor('Namespace [shop]: ');
      pty.key(key);
      const end = await pty.waitFor(/\[exit \d+\]/);
      expect(end).toContain(`${message}\n[exit ${status}]`);
      expect(existsSync(join(dir, 'kubemin.yaml'))).toBe(false);
    }
  });
});
