import { load } from 'js-yaml';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundlePhase, CompiledApp } from '../compile.js';
import type { K8sObject } from '../k8s/types.js';
import type { SourceRef } from '../load/source.js';
import type { StepMode } from '../spec/types.js';
import { BundleDirError } from './bundle-errors.js';
import { nodeBundleFs, type BundleFs } from './bundle-fs.js';
import type { LockOptions } from './bundle-lock.js';
import { isAppPath, MANIFEST_FILE, PLAN_SUFFIX } from './bundle-manifest.js';
import { openBundleDir } from './bundle-session.js';
import { STAGING_DIR } from './bundle-transaction.js';
import type { PlanDocument } from './emit-bundle.js';

export { BundleDirError };

/**
 * Whether `dir` holds a rendered bundle (`<app>.plan.json` beside `<app>/`), as `kubemin render --out`
 * writes it, or one a killed render left half-swapped (completed when it is read).
 */
export async function isBundleDir(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return false;
  return (await readdir(dir)).some((f) => f.endsWith('.plan.json') || f === MANIFEST_FILE || f === STAGING_DIR);
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
 * Reads a rendered bundle back into applications: each `<app>.plan.json` gives the phases, and
 * each object comes from the file the plan names. A plan or file that is missing or malformed
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

/** What makes `plan` (read from `<app>.plan.json`) not one kubemin wrote, if anything. */
function planProblem(plan: PlanDocument, app: string): string | undefined {
  if (plan?.kind !== 'Plan' || !Array.isArray(plan.phases)) return 'kind Plan with phases';
  if (plan.app !== app || !isText(plan.namespace) || !isText(plan.source)) return `app "${app}", its namespace and source`;
  for (const p of plan.phases) {
    if (!Number.isInteger(p?.index) || !isText(p.name) || !Array.isArray(p.objects)) return 'each phase with index, name and objects';
    for (const o of p.objects) {
      if (!isText(o?.file) || !isAppPath(app, o.file) || o.file === `${app}${PLAN_SUFFIX}`) return `each object a file under ${app}/`;
      if (!isText(o.kind) || !isText(o.name) || !isText(o.source)) return 'each object with kind, name and source';
    }
  }
  return undefined;
}

async function readPlannedApps(dir: string): Promise<CompiledApp[]> {
  const plans = (await readdir(dir)).filter((f) => f.endsWith(PLAN_SUFFIX)).sort();
  const apps: CompiledApp[] = [];
  for (const file of plans) {
    const path = join(dir, file);
    let plan: PlanDocument;
    try {
      plan = JSON.parse(await readFile(path, 'utf8')) as PlanDocument;
    } catch (err) {
      throw new BundleDirError(`${path}: not a kubemin plan: ${(err as Error).message}`);
    }
    const problem = planProblem(plan, file.slice(0, -PLAN_SUFFIX.length));
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
          throw new BundleDirError(`${objectPath} (listed in ${file}): ${(err as Error).message}`);
        }
        if (object?.kind !== o.kind || object.metadata?.name !== o.name) throw new BundleDirError(`${objectPath}: expected ${o.kind} ${o.name}, as ${file} says`);
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
    apps.push({ name: plan.app, namespace: plan.namespace, source: sourceRef(plan.source), phases });
  }
  return apps;
}
