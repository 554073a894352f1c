import { describe, expect, it } from 'vitest';
import { widen } from '../../src/cluster/watch-selector.js';
import type { K8sObject } from '../../src/k8s/types.js';

const pod = (name: string, labels: Record<string, string>): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', labels } });
const event = (uid: string, reason: string): K8sObject =>
  ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `e-${uid}`, namespace: 'ns' },
    involvedObject: { uid, kind: 'Job', name: 'migrate' },
    reason,
  }) as K8sObject;

describe('widen: one watch per namespace for the related objects of many workloads', () => {
  it('drops equality label selectors from the query and matches them on the objects', () => {
    const a = widen({ apiVersion: 'v1', kind: 'Pod', namespace: 'ns', labelSelector: 'app.kubernetes.io/name=web,tier==front' });
    const b = widen({ apiVersion: 'v1', kind: 'Pod', namespace: 'ns', labelSelector: 'app.kubernetes.io/name=api' });
    expect(a.feed).toEqual({ apiVersion: 'v1', kind: 'Pod', namespace: 'ns' });
    expect(b.feed).toEqual(a.feed);
    expect(a.matches(pod('w', { 'app.kubernetes.io/name': 'web', tier: 'front' }))).toBe(true);
    expect(a.matches(pod('w', { 'app.kubernetes.io/name': 'web' }))).toBe(false);
    expect(b.matches(pod('w', { 'app.kubernetes.io/name': 'web', tier: 'front' }))).toBe(false);
  });

  it("keeps field terms about other things on the server, and matches the object's own here", () => {
    const w = widen({ apiVersion: 'v1', kind: 'Event', namespace: 'ns', fieldSelector: 'involvedObject.uid=1234-ab,reason=FailedCreate' });
    expect(w.feed).toEqual({ apiVersion: 'v1', kind: 'Event', namespace: 'ns', fieldSelector: 'reason=FailedCreate' });
    expect(w.matches(event('1234-ab', 'FailedCreate'))).toBe(true);
    expect(w.matches(event('9999', 'FailedCreate'))).toBe(false);
  });

  it('sends any other selector as it is', () => {
    for (const q of [{ labelSelector: 'app!=web' }, { labelSelector: 'tier in (a,b)' }, { labelSelector: 'app' }, { fieldSelector: 'status.phase!=Running' }]) {
      const w = widen({ apiVersion: 'v1', kind: 'Pod', namespace: 'ns', ...q });
      expect(w.feed).toEqual({ apiVersion: 'v1', kind: 'Pod', namespace: 'ns', ...q });
      expect(w.matches(pod('x', {}))).toBe(true);
    }
  });
});
