import type { ContainerView } from '../../expand/types.js';
import { podTemplateOf, type PodTemplateAt } from '../../k8s/pod-templates.js';
import { getAtPointer, joinPointer } from '../../load/json-pointer.js';
import type { PodSecurityLevel } from '../../spec/types.js';
import type { ObjectProblem, ObjectRule, ObjectRuleContext } from '../object-rule.js';
import { writtenBy } from '../rule.js';
import { evaluatePod } from '../pod-security/evaluate.js';
import type { Violation, ViolationSite } from '../pod-security/types.js';

/**
 * Every pod an object makes (a Pod, or the template of a Deployment, StatefulSet, DaemonSet, Job,
 * CronJob...), whatever produced it, meets the component's podSecurity level as the API server's
 * PodSecurity admission would judge it. A violation is placed at the spec field that caused it
 * (the securityContext entry, the storage entry of a host path, the probe), else at the object's
 * source, and names the level that would allow it.
 */
export const podSecurity: ObjectRule = {
  name: 'pod-security',
  description: 'Every rendered pod meets the podSecurity level of its component (the Kubernetes Pod Security Standards, as admission checks them).',
  check(object, ctx) {
    const pod = podTemplateOf(object);
    if (!pod) return [];
    const level = levelOf(ctx);
    return evaluatePod({ annotations: pod.annotations, spec: pod.spec }, level).map((v) => problem(v, level, ctx, pod));
  },
};

/** The component's level, else the application's, else restricted. */
function levelOf(ctx: Pick<ObjectRuleContext, 'spec' | 'component'>): PodSecurityLevel {
  const component = ctx.component
    ? (getAtPointer(ctx.spec, ctx.component.pointer) as { policies?: { podSecurity?: PodSecurityLevel } } | undefined)
    : undefined;
  return component?.policies?.podSecurity ?? ctx.spec.spec.policies?.podSecurity ?? 'restricted';
}

function problem(v: Violation, level: PodSecurityLevel, ctx: ObjectRuleContext, pod: PodTemplateAt): ObjectProblem {
  const who = v.site.on === 'container' ? `container "${v.site.container}": ` : v.site.on === 'pod' ? 'the pod: ' : '';
  const whose = ctx.component ? 'for this component' : 'for the application';
  return {
    code: 'pod-security',
    message: `${who}${v.what} is not allowed under podSecurity ${level} (rule "${v.control}"; set podSecurity: ${v.allowedBy} ${whose} to allow it)`,
    hint: v.fix,
    ...placeOf(v.site, ctx, pod),
  };
}

/**
 * The spec field a violation comes from, when the spec wrote it: where a trait wrote it (a
 * container's securityContext, probe or storage entry: each trait says, TraitDef.written), else
 * the field itself in an object written inline (a k8s-objects component); else the object's source.
 */
function placeOf(site: ViolationSite, ctx: ObjectRuleContext, pod: PodTemplateAt): { pointer?: string } {
  const found = (pointer: string | undefined): { pointer?: string } => (pointer ? { pointer } : {});
  const inline = (segments: readonly string[]): string | undefined => deepest(ctx, ctx.pointer, [...pod.path, ...segments], pod.path.length);
  switch (site.on) {
    case 'container': {
      const view = ctx.containers.find((c) => c.name === site.container);
      if (view) return { pointer: containerField(view, site.field, ctx) };
      for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
        const i = Array.isArray(pod.spec[list]) ? (pod.spec[list] as Array<{ name?: unknown }>).findIndex((c) => c.name === site.container) : -1;
        if (i >= 0) return found(inline([list, String(i), ...site.field]));
      }
      return {};
    }
    case 'pod': {
      // kubemin writes pod-level fields from the main container's traits (securityContext's fsGroup).
      const main = ctx.containers.find((c) => c.role === 'main');
      const trait = main ? writtenBy(main, ctx.traits, { on: 'pod', path: site.field }) : undefined;
      return found(trait ?? inline(site.field));
    }
    case 'volume': {
      for (const view of ctx.containers) {
        const trait = writtenBy(view, ctx.traits, { on: 'volume', volume: site.volume });
        if (trait) return { pointer: trait };
      }
      const i = Array.isArray(pod.spec.volumes) ? (pod.spec.volumes as Array<{ name?: unknown }>).findIndex((v) => v.name === site.volume) : -1;
      return i >= 0 ? found(inline(['volumes', String(i)])) : {};
    }
    case 'annotation':
      return {};
    default: {
      const never: never = site;
      throw new Error(`unknown violation site ${JSON.stringify(never)}`);
    }
  }
}

/** Where a container's field was written: its ports, else the trait that wrote it (its securityContext, a probe, its lifecycle); else the container. */
function containerField(view: ContainerView, field: readonly string[], ctx: ObjectRuleContext): string {
  const found = field[0] === 'ports' ? deepest(ctx, view.pointer, ['ports'], 1) : writtenBy(view, ctx.traits, { on: 'container', path: field });
  return found ?? view.pointer;
}

/** The longest prefix of `segments` (at least `min` of them) under `base` that the spec has. */
function deepest(ctx: ObjectRuleContext, base: string, segments: readonly string[], min: number): string | undefined {
  for (let n = segments.length; n >= min; n--) {
    const pointer = joinPointer(base, ...segments.slice(0, n));
    if (getAtPointer(ctx.spec, pointer) !== undefined) return pointer;
  }
  return undefined;
}
