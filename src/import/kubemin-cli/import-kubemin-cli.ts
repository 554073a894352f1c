import { emitYaml, type JsonValue } from '../../bundle/yaml-emit.js';
import { quote } from '../../k8s/formats/quote.js';
import { API_VERSION, APP_KIND, type AppSpec, type ComponentSpec } from '../../spec/types.js';
import { checkConverted } from './check-converted.js';
import { inDocumentOrder } from './document-order.js';
import { convertComponent, identifyComponents } from './component.js';
import type { AppInfo, ComponentInfo } from './context.js';
import { importHeader } from './header.js';
import { JsonObject } from './json-object.js';
import { kubeName } from './names.js';
import { Problems, type ImportError, type ImportWarning } from './problems.js';
import type { KcApplication, KcComponent } from './types.js';
import { convertWorkflow } from './workflow.js';

export interface ImportResult {
  /** The kubemin.yaml text; "" when there are errors. */
  readonly spec: string;
  readonly warnings: ImportWarning[];
  /** Why the input cannot be converted; when there are any, nothing should be written. */
  readonly errors: ImportError[];
}

export interface ImportOptions {
  /** Names the input in the header comment. */
  readonly file: string;
  /** What the yaml-language-server comment points at, relative to the spec (default .kubemin/schema.json). */
  readonly schemaRef?: string;
}

/** KubeMin-Cli's deploy jobs time out after 20 minutes; kubemin's phases after 5 by default. */
const KUBEMIN_CLI_TIMEOUT = '20m';

/**
 * Converts a KubeMin-Cli application (its REST body, parsed JSON) into a kubemin.yaml that renders
 * to the equivalent objects, under kubemin's deterministic names. Pure: `file` only names the input
 * in the header comment, `schemaRef` the editor schema. What has no equivalent, or is a KubeMin-Cli bug, is converted to what was
 * meant, with a warning naming the input field (a JSON pointer); the result is checked by kubemin's
 * own validation, and is "" when anything could not be converted.
 */
export function importKubeminCli(json: unknown, opts: ImportOptions): ImportResult {
  const problems = new Problems();
  const root = JsonObject.read<KcApplication>(json, '', problems, 'a KubeMin-Cli application');
  if (!root) {
    if (json === null || json === undefined) problems.error('', 'wrong-type', 'a KubeMin-Cli application must be a JSON object, not null');
    return done('', problems, json);
  }
  const rawName = root.string('name');
  if (rawName === undefined) problems.error(root.at('name'), 'missing-name', 'the application needs a name');
  const name = rawName === undefined ? undefined : kubeName(rawName, root.at('name'), problems, 'application name');
  const rawNamespace = root.string('namespace');
  const namespace = rawNamespace === undefined ? undefined : kubeName(rawNamespace, root.at('namespace'), problems, 'namespace');
  const about = {
    id: root.string('id'),
    alias: root.string('alias'),
    version: root.string('version'),
    project: root.string('project'),
    description: root.string('description'),
  };
  root.ignore('icon');
  root.drop('tmp_enable', 'no-equivalent', 'kubemin has no application templates: the application is imported as an ordinary one');

  const items = root.array('component');
  if (!items?.length && !problems.errors.some((e) => e.pointer === root.at('component'))) {
    problems.error(root.at('component'), 'no-components', 'the application has no components: there is nothing to import');
  }
  const infos = identifyComponents(items ?? []);
  const app: AppInfo = { name: name ?? '', namespace: namespace ?? 'default', components: infos };
  const components: ComponentSpec[] = [];
  const converted: ComponentInfo[] = [];
  const byName = new Map<string, ComponentInfo>();
  (items ?? []).forEach((item, i) => {
    const c = JsonObject.read<KcComponent>(item.value, item.pointer, problems, 'a component');
    const info = infos[i];
    if (!c || !info) {
      if (item.value === null) problems.error(item.pointer, 'wrong-type', 'a component must be a JSON object, not null');
      return;
    }
    const spec = convertComponent(c, info, app, problems);
    if (!spec) return;
    const first = byName.get(spec.name);
    if (first) {
      problems.error(c.at('name'), 'duplicate-component', `a second component is named ${quote(spec.name)} (the first is ${first.pointer})`);
      return;
    }
    components.push(spec);
    converted.push(info);
    byName.set(spec.name, info);
  });
  const workflow = convertWorkflow(root, converted, problems);
  root.finish('the application');
  if (problems.errors.length || name === undefined) return done('', problems, json);

  const doc: AppSpec = {
    apiVersion: API_VERSION,
    kind: APP_KIND,
    metadata: { name, ...(namespace !== undefined ? { namespace } : {}) },
    spec: { policies: { timeout: KUBEMIN_CLI_TIMEOUT }, components, workflow: { steps: workflow.steps } },
  };
  const text = importHeader(opts.file, about, opts.schemaRef ?? '.kubemin/schema.json') + emitYaml(doc as unknown as JsonValue);
  checkConverted(text, json, workflow.origins, problems);
  return done(problems.errors.length ? '' : text, problems, json);
}

function done(spec: string, problems: Problems, input: unknown): ImportResult {
  return { spec, warnings: inDocumentOrder(problems.warnings, input), errors: inDocumentOrder(problems.errors, input) };
}
