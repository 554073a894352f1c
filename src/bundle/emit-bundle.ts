import { createHash } from 'node:crypto';
import type { BundleObject, CompiledApp } from '../compile.js';
import { formatSourceRef } from '../load/source.js';
import { API_VERSION } from '../spec/types.js';
import { appKey } from '../environments/app-key.js';
import { bundleKey, type BundleLayout } from './bundle-layout.js';
import { YamlWriter, type JsonValue } from './yaml-emit.js';

/** A file of the bundle: a path relative to the bundle directory, and its text. */
interface BundleFile {
  readonly path: string;
  readonly text: string;
}

/** One object's entry in the plan. */
interface PlanObject {
  readonly file: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | null;
  readonly component: string | null;
  readonly source: string;
}

interface PlanPhase {
  readonly index: number;
  readonly name: string;
  readonly dir: string;
  readonly step: string | null;
  readonly type: string;
  readonly mode: string;
  readonly timeout: string;
  readonly retries: number;
  readonly components: readonly string[];
  /** Only for step types that have them (e.g. gpu-preflight's `for`). */
  readonly params?: Readonly<Record<string, JsonValue>>;
  readonly objects: readonly PlanObject[];
}

/** `<app>.plan.json`: what the applier and the diff read, and what reviewers see. */
export interface PlanDocument {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'Plan';
  readonly app: string;
  /** Only for an environment's variant: its environment, and the kubeconfig context it names. */
  readonly environment?: string;
  readonly cluster?: string;
  readonly namespace: string;
  readonly source: string;
  /** SHA-256 of the app's manifest files, to tell cheaply whether the bundle changed. */
  readonly digest: string;
  readonly phases: readonly PlanPhase[];
}

export interface AppBundle {
  /** The app's key in the bundle directory (bundle-layout.ts): `<app>`, or `<env>/<app>` for an environment's variant. */
  readonly app: string;
  /** The manifests, under `<app>/`. */
  readonly files: readonly BundleFile[];
  /** `<app>.plan.json`, beside the app's directory so that `kubectl apply -R` never reads it. */
  readonly plan: BundleFile;
  readonly planDocument: PlanDocument;
}

export interface EmitOptions {
  /** Where an environment's variant goes: `by-environment` (default, `<env>/<app>/`) or `one-environment` (`<app>/`, `render --env`). */
  readonly layout?: BundleLayout;
}

/** Directory and file names: `<key>/NN-<phase>/MM-<kind>-<name>.yaml`, numbered from 01; the key is the app's name or `<env>/<app>` (bundle-layout.ts). */
export function emitApp(app: CompiledApp, opts: EmitOptions = {}): AppBundle {
  const key = bundleKey(app, opts.layout ?? 'by-environment');
  const files: BundleFile[] = [];
  const phaseWidth = width(app.phases.length);
  const yaml = new YamlWriter();
  const phases: PlanPhase[] = app.phases.map((phase) => {
    const dir = `${pad(phase.index, phaseWidth)}-${phase.name}`;
    const objectWidth = width(phase.objects.length);
    const objects = phase.objects.map((o, i) => {
      const file = `${key}/${dir}/${pad(i + 1, objectWidth)}-${o.object.kind.toLowerCase()}-${o.object.metadata.name}.yaml`;
      files.push({ path: file, text: yaml.document(o.object as unknown as JsonValue) });
      return planObject(file, o);
    });
    return {
      index: phase.index,
      name: phase.name,
      dir: `${key}/${dir}`,
      step: phase.step ?? null,
      type: phase.stepType,
      mode: phase.mode,
      timeout: phase.timeout,
      retries: phase.retries,
      components: phase.components,
      ...(phase.params ? { params: phase.params } : {}),
      objects,
    };
  });
  const digest = createHash('sha256');
  for (const f of files) digest.update(f.path).update('\0').update(f.text).update('\0');
  const planDocument: PlanDocument = {
    apiVersion: API_VERSION,
    kind: 'Plan',
    app: app.name,
    ...(app.environment ? { environment: app.environment, ...(app.cluster ? { cluster: app.cluster } : {}) } : {}),
    namespace: app.namespace,
    source: formatSourceRef({ file: app.source.file, line: app.source.line }),
    digest: `sha256:${digest.digest('hex')}`,
    phases,
  };
  return {
    app: key,
    files,
    plan: { path: `${key}.plan.json`, text: JSON.stringify(planDocument, null, 2) + '\n' },
    planDocument,
  };
}

/** All objects of the apps as one multi-document YAML stream, in apply order (for stdout). */
export function emitStream(apps: readonly CompiledApp[]): string {
  const parts: string[] = [];
  const yaml = new YamlWriter();
  for (const app of apps) {
    for (const phase of app.phases) {
      for (const o of phase.objects) {
        parts.push(`---\n# app ${appKey(app)}, phase ${phase.index} ${phase.name}\n${yaml.document(o.object as unknown as JsonValue)}`);
      }
    }
  }
  return parts.join('');
}

function planObject(file: string, o: BundleObject): PlanObject {
  return {
    file,
    apiVersion: o.object.apiVersion,
    kind: o.object.kind,
    name: o.object.metadata.name,
    namespace: o.object.metadata.namespace ?? null,
    component: o.component ?? null,
    source: formatSourceRef({ file: o.source.file, line: o.source.line }),
  };
}

function width(count: number): number {
  return Math.max(2, String(count).length);
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}
