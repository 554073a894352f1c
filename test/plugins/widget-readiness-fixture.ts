/** A CRD whose objects (Widgets) are ready when their status says so, and a plugin with a readiness rule for them: for the readiness tests on the cluster. */

export const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.readiness.kubemin.test}
spec:
  group: readiness.kubemin.test
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
  versions:
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
            status: {type: object, properties: {ready: {type: boolean}}}
`;

/** The plugin: a readiness rule for Widgets, with `check`'s body. */
export const widgetPlugin = (check: string): string => `export default {
  name: 'widgets',
  readiness: [{
    name: 'widget',
    description: 'A Widget is ready when its controller sets status.ready.',
    kinds: ['readiness.kubemin.test/Widget'],
    check(o) { ${check} },
  }],
};
`;

/** Ready once the Widget's status.ready is true. */
export const READY_WHEN_STATUS = `return o.status?.ready === true ? { state: 'ready', message: 'status.ready is true' } : { state: 'progressing', message: 'waiting for status.ready' };`;
