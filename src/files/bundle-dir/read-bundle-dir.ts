import { load } from 'js-yaml';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundlePhase, CompiledApp } from '../../compile.js';
import type { K8sObject } from '../../k8s/types.js';
import type { SourceRef } from '../../load/source.js';
import type { StepMode } from '../../spec/types.js';
import { BundleDirError } from '../../bundle/bundle-errors.js';
import { nodeBundleFs, type BundleFs } from './bundle-fs.js';
import type { LockOptions } from './bundle-lock.js';
import { appKey, describeApp } from '../../environments/app-key.js';
import { environmentDirOf } from '../../bundle/bundle-layout.js';
import { isAppPath, MANIFEST_FILE, parseManifest, PLAN_SUFFIX } from '../../bundle/bundle-manifest.js';
import { openBundleDir } from './bundle-session.js';
import { STAGING_DIR } from './bundle-transaction.js';
import type { PlanDocument } from '../../bundle/emit-bundle.js';

/**
 * Whether `dir` holds a rendered bundle (`<app>.plan.json` beside `<app>/`, or the record a
 * render of environments leaves beside `<env>/`), as `kubemin render --out` writes it, or one a
 * killed render left half-swapped (completed when it is read).
 */
export async function isBundleDir(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return false;
  return (await readdir(dir)).some((f) => f.endsWith(PLAN_SUFFIX) || f === MANIFEST_FILE || f === STAGING_DIR);
}

/**
 * The environment directories of a bundle (a render without --env): those its record lists
 * variants in. A directory holding plans that kubemin did not record (another bundle copied in)
 * is not read, as it never was.
 */
async function environmentDirs(dir: string): Promise<string[]> {
  const path = join(dir, MANIFEST_FILE);
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined) return [];
  const envs = [...parseManifest(text, path).keys()].flatMap((key) => environmentDirOf(key) ?? []);
  const out: string[] = [];
  for (const env of [...new Set(envs)].sort()) {
    if ((await stat(join(dir, env)).catch(() => undefined))?.isDirectory()) out.push(env);
  }
  return out;
}

export interface ReadBundleOptions {
  readonly fs?: BundleFs;
  readonly lock?: LockOptions;
}

/** `kubemin.yaml:12` -> a SourceRef at that line (a plan keeps file and line only). */
function sourceRef(text: string): SourceRef {
  const at = text.lastIndexOf(':');
  const line = Number(text.slice(at + 1));
  return at > 0 && Number.isInteger(line) ? { file: text.slice(0, at), line, col: 1, pointer: '' } : { file: text, line: 1, col: 1, pointer: '' };
}

/**
 * Reads a rendered bundle back into applications: each `<app>.plan.json` (and, for the variants of
 * a render of every environment, `<env>/<app>.plan.json`) gives the phases, the environment and its
 * cluster, and each object comes from the file the plan names. A plan or file that is missing or malformed
 * is an error naming it. A render running into `dir` meanwhile is a BundleLockError.
 */
export async function readBundleDir(dir: string, opts: ReadBundleOptions = {}): Promise<CompiledApp[]> {
  // Under the lock, after completing (or undoing) a render that a kill interrupted.
  const session = openBundleDir(opts.fs ?? nodeBundleFs, dir, 'read', opts.lock);
  try {
    return await readPlannedApps(dir);
  } finally {
    session.release();
  }
}

const isText = (v: unknown): v is string => typeof v === 'string';

/**
 * What makes `plan` (read from `<key>.plan.json`) not one kubemin wrote, if anything. `env` is the
 * environment directory it was read from; a plan at the top may be one environment's (render --env).
 */
function planProblem(plan: PlanDocument, key: string, env: string | undefined): string | undefined {
  if (plan?.kind !== 'Plan' || !Array.isArray(plan.phases)) return 'kind Plan with phases';
  const app = env === undefined ? key : key.slice(env.length + 1);
  if (plan.app !== app || !isText(plan.namespace) || !isText(plan.source)) return `app "${app}", its namespace and source`;
  if (env !== undefined && plan.environment !== env) return `environment "${env}", as its directory`;
  if (plan.environment !== undefined && !isText(plan.environment)) return 'an environment that is a name';
  if (plan.cluster !== undefined && (!isText(plan.cluster) || plan.environment === undefined)) return 'a cluster only with an environment';
  for (const p of plan.phases) {
    if (!Number.isInteger(p?.index) || !isText(p.name) || !Array.isArray(p.objects)) return 'each phase with index, name and objects';
    for (const o of p.objects) {
      if (!isText(o?.file) || !isAppPath(key, o.file) || o.file === `${key}${PLAN_SUFFIX}`) return `each object a file under ${key}/`;
      if (!isText(o.kind) || !isText(o.name) || !isText(o.source)) return 'each object with kind, name and source';
    }
  }
  return undefined;
}

/** Every plan of the bundle by key: `<app>` at the top, `<env>/<app>` in each environment's directory. */
async function planKeys(dir: string): Promise<Array<{ key: string; env?: string }>> {
  const plans = (names: string[]): string[] => names.filter((f) => f.endsWith(PLAN_SUFFIX)).map((f) => f.slice(0, -PLAN_SUFFIX.length));
  const out: Array<{ key: string; env?: string }> = plans(await readdir(dir))
    .sort()
    .map((key) => ({ key }));
  for (const env of await environmentDirs(dir)) {
    for (const app of plans(await readdir(join(dir, env))).sort()) out.push({ key: `${env}/${app}`, env });
  }
  return out;
}

async function readPlannedApps(dir: string): Promise<CompiledApp[]> {
  const apps: CompiledApp[] = [];
  // One plan per app and environment: two would apply (and prune) the same objects.
  const seen = new Map<string, string>();
  for (const { key, env } of await planKeys(dir)) {
    const file = `${key}${PLAN_SUFFIX}`;
    const path = join(dir, file);
    let plan: PlanDocument;
    try {
      plan = JSON.parse(await readFile(path, 'utf8')) as PlanDocument;
    } catch (err) {
      throw new BundleDirError(`${path}: not a kubemin plan: ${(err as Error).message}`, { cause: err });
    }
    const problem = planProblem(plan, key, env);
    if (problem) throw new BundleDirError(`${path}: not a kubemin plan (${problem}); move it out of ${dir} if kubemin did not write it`);
    const phases: BundlePhase[] = [];
    for (const p of plan.phases) {
      const objects = [];
      for (const o of p.objects) {
        const objectPath = join(dir, o.file);
        let object: K8sObject;
        try {
          object = load(await readFile(objectPath, 'utf8')) as K8sObject;
        } catch (err) {
          throw new BundleDirError(`${objectPath} (listed in ${file}): ${(err as Error).message}`, { cause: err });
        }
        if (object?.kind !== o.kind || object.metadata?.name !== o.name)
          throw new BundleDirError(`${objectPath}: expected ${o.kind} ${o.name}, as ${file} says`);
        objects.push({ object, component: o.component ?? undefined, source: sourceRef(o.source) });
      }
      phases.push({
        index: p.index,
        name: p.name,
        step: p.step ?? undefined,
        stepType: p.type,
        mode: p.mode as StepMode,
        timeout: p.timeout,
        retries: p.retries,
        components: p.components,
        ...(p.params ? { params: p.params } : {}),
        objects,
      });
    }
    const variant = plan.environment !== undefined ? { environment: plan.environment, ...(plan.cluster !== undefined ? { cluster: plan.cluster } : {}) } : {};
    const id = appKey({ name: plan.app, ...variant });
    const twice = seen.get(id);
    if (twice)
      throw new BundleDirError(
        `${dir}: ${twice} and ${file} are both the plan of ${describeApp({ name: plan.app, ...variant })}; render the bundle again (kubemin render --out ${dir})`,
      );
    seen.set(id, file);
    apps.push({ name: plan.app, ...variant, namespace: plan.namespace, source: sourceRef(plan.source), phases });
  }
  // As compile() orders them: by name, then environment.
  return apps.sort((a, b) => cmp(a.name, b.name) || cmp(a.environment ?? '', b.environment ?? ''));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
