import type { BundleObject, CompiledApp } from '../compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { appKey, describeApp } from '../environments/app-key.js';
import { formatRef, refKey, refOf } from '../k8s/object-ref.js';
import type { SpecDocument } from '../load/parse-spec-file.js';
import type { AppSpec } from '../spec/types.js';

type Compiled = CompiledApp & { readonly doc: SpecDocument };

/** What no single document can see: names shared by two apps, an environment named like an app, objects two apps both produce. */
export function acrossApps(apps: readonly Compiled[]): Diagnostic[] {
  return [...duplicateApps(apps), ...environmentsNamedLikeApps(apps), ...objectCollisions(apps)];
}

function at(doc: SpecDocument, pointer: string): { file: string; pointer: string; line: number; col: number } {
  return { file: doc.file, pointer, ...doc.locator.locate(doc.index, doc.value, pointer) };
}

function duplicateApps(apps: readonly Compiled[]): Diagnostic[] {
  const first = new Map<string, Compiled>();
  const out: Diagnostic[] = [];
  for (const app of apps) {
    const prev = first.get(app.name);
    if (!prev) {
      first.set(app.name, app);
      continue;
    }
    if (prev.doc === app.doc) continue; // another environment of the same app
    const here = at(app.doc, '/metadata/name');
    out.push({
      severity: 'error',
      code: 'duplicate-app',
      message: `a second application is named "${app.name}"`,
      hint: 'application names must be unique in a repository: they name the bundle directories and the inventory',
      ...here,
      related: [{ message: 'first defined here', ...at(prev.doc, '/metadata/name') }],
    });
  }
  return out;
}

/** `render --out DIR` writes an environment at DIR/<env>/ and an app without environments at DIR/<app>/: one name cannot be both. */
function environmentsNamedLikeApps(apps: readonly Compiled[]): Diagnostic[] {
  const byName = new Map(apps.map((a) => [a.name, a]));
  const out: Diagnostic[] = [];
  const seen = new Set<SpecDocument>();
  for (const app of apps) {
    if (!app.environment || seen.has(app.doc)) continue;
    seen.add(app.doc);
    ((app.doc.value as AppSpec).spec.environments ?? []).forEach((env, i) => {
      const other = byName.get(env.name);
      if (!other) return;
      out.push({
        severity: 'error',
        code: 'environment-named-like-app',
        message: `environment "${env.name}" of application "${app.name}" has the name of application "${other.name}"`,
        hint: 'rendered bundles put an environment at DIR/<environment>/ and an application at DIR/<application>/: rename the environment (or the application)',
        ...at(app.doc, `/spec/environments/${i}/name`),
        related: [{ message: `application "${other.name}"`, ...at(other.doc, '/metadata/name') }],
      });
    });
  }
  return out;
}

/**
 * Two apps (or two environments) that produce the same object on one cluster would overwrite, and
 * later prune, each other's. Environments with different clusters never meet; an app without
 * environments is deployed wherever kubemin runs, so it meets every one.
 */
function objectCollisions(apps: readonly Compiled[]): Diagnostic[] {
  const everywhere = apps.filter((a) => !a.environment);
  const clusters = new Map<string, Compiled[]>();
  for (const app of apps) {
    if (!app.environment) continue;
    const group = clusters.get(app.cluster ?? '') ?? [];
    group.push(app);
    clusters.set(app.cluster ?? '', group);
  }
  const groups = clusters.size ? [...clusters.values()].map((g) => [...everywhere, ...g]) : [everywhere];
  const out = new Map<string, Diagnostic>();
  for (const group of groups) for (const d of collisionsIn(group)) out.set(`${d.file}\0${d.line}\0${d.col}\0${d.message}`, d);
  return [...out.values()];
}

function collisionsIn(apps: readonly Compiled[]): Diagnostic[] {
  const owner = new Map<string, { app: Compiled; object: BundleObject }>();
  const out: Diagnostic[] = [];
  for (const app of apps) {
    for (const phase of app.phases) {
      for (const o of phase.objects) {
        const key = refKey(refOf(o.object));
        const prev = owner.get(key);
        if (!prev) {
          owner.set(key, { app, object: o });
          continue;
        }
        if (appKey(prev.app) === appKey(app)) continue;
        out.push({
          severity: 'error',
          code: 'object-name-collision',
          message: `${formatRef(refOf(o.object))} is produced by ${describeApp(prev.app)} and by ${describeApp(app)}`,
          hint: app.environment
            ? 'objects belong to one application and environment: give the environments their own namespaces (or clusters), or rename the component'
            : 'objects belong to one application: rename the component, or deploy the apps into different namespaces',
          file: o.source.file,
          pointer: o.source.pointer,
          line: o.source.line,
          col: o.source.col,
          related: [
            {
              message: `produced by ${prev.app.environment ? describeApp(prev.app) : `"${prev.app.name}"`} here`,
              file: prev.object.source.file,
              line: prev.object.source.line,
              col: prev.object.source.col,
            },
          ],
        });
      }
    }
  }
  return out;
}
