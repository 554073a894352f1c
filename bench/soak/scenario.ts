/**
 * The soak's specs: `apps` applications that change at random, reproducibly (a seeded generator):
 * images, replicas, workers added and removed, config and secret values, and a migration Job that
 * sometimes fails (an image tagged `:fail`, which the test cluster's fake kubelet fails).
 */
import { emitYaml, type JsonValue } from '../../src/bundle/yaml-emit.js';

/** mulberry32: a small seeded generator, the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface AppState {
  readonly name: string;
  webTag: number;
  replicas: number;
  level: number;
  /** The Secret's value: collected, so the soak can check no log holds it. */
  password: string;
  /** Workers w1..w3 present. */
  workers: Set<number>;
  /** The migration Job: absent, succeeding (a tag) or failing. */
  job: { tag: number; fails: boolean } | undefined;
}

export type Change = 'image' | 'replicas' | 'add-worker' | 'remove-worker' | 'config' | 'secret' | 'failing-job' | 'fix-job' | 'remove-job';

/** What changed in one commit, for the log. */
export interface CommitPlan {
  readonly message: string;
  readonly files: ReadonlyMap<string, string>;
}

export class SoakScenario {
  private readonly random: () => number;
  private readonly apps: AppState[];
  /** Every secret value any commit held. */
  readonly secrets = new Set<string>();
  commits = 0;

  constructor(
    readonly seed: number,
    appCount: number,
  ) {
    this.random = seededRandom(seed);
    this.apps = Array.from({ length: appCount }, (_, i) => ({
      name: `app-${String(i).padStart(2, '0')}`,
      webTag: 1,
      replicas: 1 + this.int(2),
      level: 0,
      password: this.password(),
      workers: new Set(this.int(2) ? [1] : []),
      job: this.int(3) === 0 ? { tag: 1, fails: false } : undefined,
    }));
  }

  /** The app names. */
  get names(): string[] {
    return this.apps.map((a) => a.name);
  }

  /** Every app's spec: the first commit. */
  initial(): CommitPlan {
    return { message: `soak: ${this.apps.length} apps (seed ${this.seed})`, files: new Map(this.apps.map((a) => [pathOf(a), this.render(a)])) };
  }

  /** 1 to 4 apps changed at random. */
  next(): CommitPlan {
    this.commits++;
    const count = 1 + this.int(4);
    const picked = new Set<AppState>();
    while (picked.size < Math.min(count, this.apps.length)) picked.add(this.apps[this.int(this.apps.length)]!);
    const changes: string[] = [];
    for (const app of picked) {
      const change = this.change(app);
      changes.push(`${app.name} ${change}`);
    }
    return { message: `soak ${this.commits}: ${changes.join(', ')}`, files: new Map([...picked].map((a) => [pathOf(a), this.render(a)])) };
  }

  /** The last commit: every failing Job fixed, so that every app can end applied. */
  fixAll(): CommitPlan {
    this.commits++;
    const fixed = this.apps.filter((a) => a.job?.fails);
    for (const a of fixed) a.job = { tag: a.job!.tag + 1, fails: false };
    // Something changes even when nothing failed, so that the last commit is always applied.
    const touched = fixed.length ? fixed : [this.apps[0]!];
    if (!fixed.length) touched[0]!.level++;
    return {
      message: `soak ${this.commits}: fix ${fixed.length ? fixed.map((a) => a.name).join(', ') : 'nothing (config of app-00)'}`,
      files: new Map(touched.map((a) => [pathOf(a), this.render(a)])),
    };
  }

  private change(app: AppState): Change {
    const options: Change[] = ['image', 'replicas', 'config', 'secret'];
    if (app.workers.size < 3) options.push('add-worker');
    if (app.workers.size > 0) options.push('remove-worker');
    options.push(app.job?.fails ? 'fix-job' : 'failing-job');
    if (app.job) options.push('remove-job');
    const change = options[this.int(options.length)]!;
    switch (change) {
      case 'image':
        app.webTag++;
        break;
      case 'replicas':
        app.replicas = 1 + ((app.replicas + this.int(2)) % 3);
        break;
      case 'add-worker':
        app.workers.add([1, 2, 3].find((w) => !app.workers.has(w))!);
        break;
      case 'remove-worker':
        app.workers.delete([...app.workers][this.int(app.workers.size)]!);
        break;
      case 'config':
        app.level++;
        break;
      case 'secret':
        app.password = this.password();
        break;
      case 'failing-job':
        app.job = { tag: (app.job?.tag ?? 0) + 1, fails: true };
        break;
      case 'fix-job':
        app.job = { tag: app.job!.tag + 1, fails: false };
        break;
      case 'remove-job':
        app.job = undefined;
        break;
    }
    return change;
  }

  private render(a: AppState): string {
    const workers = [...a.workers].sort().map((w) => ({ name: `w${w}`, type: 'worker', image: `ghcr.io/acme/worker:1.${a.webTag}` }));
    const components: JsonValue[] = [
      { name: 'creds', type: 'secret', stringData: { PASSWORD: a.password } },
      { name: 'settings', type: 'config', data: { LEVEL: String(a.level) } },
      ...(a.job
        ? [
            {
              name: 'migrate',
              type: 'job',
              image: `ghcr.io/acme/migrate:${a.job.fails ? 'fail' : `1.${a.job.tag}`}`,
              args: [`--run=${a.job.tag}`],
              job: { backoffLimit: 0, restartPolicy: 'Never' },
            },
          ]
        : []),
      {
        name: 'web',
        type: 'webservice',
        image: `ghcr.io/acme/web:1.${a.webTag}`,
        replicas: a.replicas,
        ports: [{ port: 8080 }],
        traits: {
          envFrom: [
            { type: 'config', sourceName: 'settings' },
            { type: 'secret', sourceName: 'creds' },
          ],
        },
      },
      ...workers,
    ];
    const steps: JsonValue[] = [
      { name: 'config', components: ['creds', 'settings'], mode: 'parallel' },
      ...(a.job ? [{ name: 'migrate', components: ['migrate'] }] : []),
      { name: 'app', components: ['web', ...workers.map((w) => w.name)], mode: 'parallel' },
    ];
    const spec = {
      apiVersion: 'kubemin.dev/v1alpha1',
      kind: 'Application',
      metadata: { name: a.name, namespace: a.name },
      spec: { createNamespace: true, policies: { timeout: '2m' }, components, workflow: { steps } },
    };
    return emitYaml(spec as JsonValue);
  }

  private password(): string {
    // Letters, digits and a few characters that need quoting or escaping somewhere.
    const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.:/+=';
    const value = `pw-${Array.from({ length: 20 }, () => alphabet[this.int(alphabet.length)]).join('')}`;
    this.secrets.add(value);
    return value;
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }
}

function pathOf(a: AppState): string {
  return `apps/${a.name}/kubemin.yaml`;
}
