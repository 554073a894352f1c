import { load } from 'js-yaml';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundlePhase, CompiledApp } from '../compile.js';
import type { K8sObject } from '../k8s/types.js';
import type { SourceRef } from '../load/source.js';
import type { StepMode } from '../spec/types.js';
import type { PlanDocument } from './emit-bundle.js';

export class BundleDirError extends Error {
  override readonly name = 'BundleDirError';
}

/** Whether `dir` holds a rendered bundle (`<app>.plan.json` beside `<app>/`), as `kubemin render --out` writes it. */
export async function isBundleDir(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return false;
  return (await readdir(dir)).some((f) => f.endsWith('.plan.json'));
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
 * is an error naming it.
 */
export async function readBundleDir(dir: string): Promise<CompiledApp[]> {
  const plans = (await readdir(dir)).filter((f) => f.endsWith('.plan.json')).sort();
  const apps: CompiledApp[] = [];
  for (const file of plans) {
    const path = join(dir, file);
    let plan: PlanDocument;
    try {
      plan = JSON.parse(await readFile(path, 'utf8')) as PlanDocument;
    } catch (err) {
      throw new BundleDirError(`${path}: not a kubemin plan: ${(err as Error).message}`);
    }
    if (plan.kind !== 'Plan' || !Array.isArray(plan.phases)) throw new BundleDirError(`${path}: not a kubemin plan (kind Plan with phases)`);
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
