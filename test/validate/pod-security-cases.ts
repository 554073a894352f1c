/**
 * Pods and what the Pod Security Standards say of them, per level: the controls each violates.
 * test/validate/pod-security.test.ts checks kubemin's evaluation against these; the cluster test
 * (pod-security-cluster.test.ts) sends every pod to the test cluster's API server, whose
 * PodSecurity admission must agree (refused exactly when a control is listed, for those reasons).
 */

export interface PodCase {
  readonly name: string;
  readonly annotations?: Record<string, string>;
  readonly spec: Record<string, any>;
  /** The controls violated at restricted and at baseline (none at privileged). */
  readonly restricted: readonly string[];
  readonly baseline: readonly string[];
}

const IMAGE = 'registry.invalid/acme/app:1.0';
const securedContainer = (name = 'app', extra: Record<string, unknown> = {}): Record<string, any> => ({
  name,
  image: IMAGE,
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  ...extra,
});

/** A pod that meets restricted: kubemin's defaults. */
export function compliant(): Record<string, any> {
  return { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [securedContainer()] };
}

/** `compliant()` with `change` applied to it. */
function pod(change: (spec: Record<string, any>) => void): Record<string, any> {
  const spec = compliant();
  change(spec);
  return spec;
}

const sc = (spec: Record<string, any>, i = 0): Record<string, any> => spec.containers[i].securityContext;

export const POD_CASES: readonly PodCase[] = [
  { name: 'compliant', spec: compliant(), restricted: [], baseline: [] },
  {
    name: 'no-security-context',
    spec: { containers: [{ name: 'app', image: IMAGE }] },
    restricted: ['Capabilities', 'Seccomp', 'Privilege Escalation', 'Running as Non-root'],
    baseline: [],
  },
  { name: 'host-network', spec: pod((s) => (s.hostNetwork = true)), restricted: ['Host Namespaces'], baseline: ['Host Namespaces'] },
  {
    name: 'host-pid-ipc',
    spec: pod((s) => Object.assign(s, { hostPID: true, hostIPC: true })),
    restricted: ['Host Namespaces', 'Host Namespaces'],
    baseline: ['Host Namespaces', 'Host Namespaces'],
  },
  {
    name: 'privileged',
    spec: pod((s) => {
      delete sc(s).allowPrivilegeEscalation;
      sc(s).privileged = true;
    }),
    restricted: ['Privileged Containers', 'Privilege Escalation'],
    baseline: ['Privileged Containers'],
  },
  {
    name: 'privileged-init',
    spec: pod((s) => (s.initContainers = [{ name: 'init', image: IMAGE, securityContext: { privileged: true, capabilities: { drop: ['ALL'] } } }])),
    restricted: ['Privileged Containers', 'Privilege Escalation'],
    baseline: ['Privileged Containers'],
  },
  { name: 'add-chown', spec: pod((s) => (sc(s).capabilities.add = ['CHOWN'])), restricted: ['Capabilities'], baseline: [] },
  { name: 'add-net-admin', spec: pod((s) => (sc(s).capabilities.add = ['NET_ADMIN'])), restricted: ['Capabilities'], baseline: ['Capabilities'] },
  { name: 'add-net-bind-service', spec: pod((s) => (sc(s).capabilities.add = ['NET_BIND_SERVICE'])), restricted: [], baseline: [] },
  { name: 'drop-not-all', spec: pod((s) => (sc(s).capabilities.drop = ['NET_RAW'])), restricted: ['Capabilities'], baseline: [] },
  {
    name: 'host-path',
    spec: pod((s) => (s.volumes = [{ name: 'logs', hostPath: { path: '/var/log' } }])),
    restricted: ['HostPath Volumes'],
    baseline: ['HostPath Volumes'],
  },
  {
    name: 'nfs-volume',
    spec: pod((s) => (s.volumes = [{ name: 'share', nfs: { server: 'nfs.example.com', path: '/export' } }])),
    restricted: ['Volume Types'],
    baseline: [],
  },
  {
    name: 'allowed-volumes',
    spec: pod(
      (s) =>
        (s.volumes = [
          { name: 'a', emptyDir: {} },
          { name: 'b', configMap: { name: 'c' } },
          { name: 'c', secret: { secretName: 's' } },
          { name: 'd', persistentVolumeClaim: { claimName: 'p' } },
          { name: 'e', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          { name: 'f', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
        ]),
    ),
    restricted: [],
    baseline: [],
  },
  {
    name: 'host-port',
    spec: pod((s) => (s.containers[0].ports = [{ containerPort: 8080, hostPort: 8080 }])),
    restricted: ['Host Ports'],
    baseline: ['Host Ports'],
  },
  {
    name: 'probe-host',
    spec: pod((s) => (s.containers[0].livenessProbe = { httpGet: { path: '/', port: 8080, host: '10.0.0.1' } })),
    restricted: ['Host Probes / Lifecycle Hooks'],
    baseline: ['Host Probes / Lifecycle Hooks'],
  },
  {
    name: 'prestop-host',
    spec: pod((s) => (s.containers[0].lifecycle = { preStop: { httpGet: { path: '/stop', port: 8080, host: 'example.com' } } })),
    restricted: ['Host Probes / Lifecycle Hooks'],
    baseline: ['Host Probes / Lifecycle Hooks'],
  },
  { name: 'apparmor-unconfined', spec: pod((s) => (sc(s).appArmorProfile = { type: 'Unconfined' })), restricted: ['AppArmor'], baseline: ['AppArmor'] },
  { name: 'apparmor-runtime-default', spec: pod((s) => (s.securityContext.appArmorProfile = { type: 'RuntimeDefault' })), restricted: [], baseline: [] },
  { name: 'selinux-type', spec: pod((s) => (s.securityContext.seLinuxOptions = { type: 'spc_t' })), restricted: ['SELinux'], baseline: ['SELinux'] },
  {
    name: 'selinux-user',
    spec: pod((s) => (sc(s).seLinuxOptions = { user: 'system_u', type: 'container_t' })),
    restricted: ['SELinux'],
    baseline: ['SELinux'],
  },
  { name: 'seccomp-unconfined', spec: pod((s) => (s.securityContext.seccompProfile = { type: 'Unconfined' })), restricted: ['Seccomp'], baseline: ['Seccomp'] },
  { name: 'seccomp-missing', spec: pod((s) => delete s.securityContext.seccompProfile), restricted: ['Seccomp'], baseline: [] },
  {
    name: 'seccomp-per-container',
    spec: pod((s) => {
      delete s.securityContext.seccompProfile;
      sc(s).seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/app.json' };
    }),
    restricted: [],
    baseline: [],
  },
  {
    name: 'sysctl-unsafe',
    spec: pod((s) => (s.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }])),
    restricted: ['Sysctls'],
    baseline: ['Sysctls'],
  },
  {
    name: 'sysctl-safe',
    spec: pod((s) => (s.securityContext.sysctls = [{ name: 'net.ipv4.tcp_keepalive_time', value: '600' }])),
    restricted: [],
    baseline: [],
  },
  { name: 'privilege-escalation', spec: pod((s) => (sc(s).allowPrivilegeEscalation = true)), restricted: ['Privilege Escalation'], baseline: [] },
  { name: 'run-as-non-root-false', spec: pod((s) => (sc(s).runAsNonRoot = false)), restricted: ['Running as Non-root'], baseline: [] },
  {
    name: 'run-as-non-root-per-container',
    spec: pod((s) => {
      delete s.securityContext.runAsNonRoot;
      sc(s).runAsNonRoot = true;
    }),
    restricted: [],
    baseline: [],
  },
  { name: 'run-as-user-0', spec: pod((s) => (s.securityContext.runAsUser = 0)), restricted: ['Running as Non-root user'], baseline: [] },
  {
    name: 'user-namespace-root',
    spec: pod((s) => {
      s.hostUsers = false;
      delete s.securityContext.runAsNonRoot;
      sc(s).runAsUser = 0;
    }),
    restricted: [],
    baseline: [],
  },
  {
    name: 'user-namespace-proc-unmasked',
    spec: pod((s) => {
      s.hostUsers = false;
      sc(s).procMount = 'Unmasked';
    }),
    restricted: ['/proc Mount Type'],
    baseline: [],
  },
  {
    name: 'windows',
    spec: { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'app', image: IMAGE }] },
    restricted: [],
    baseline: [],
  },
  {
    name: 'windows-host-process',
    spec: {
      os: { name: 'windows' },
      hostNetwork: true,
      securityContext: { runAsNonRoot: true, windowsOptions: { hostProcess: true, runAsUserName: 'NT AUTHORITY\\SYSTEM' } },
      containers: [{ name: 'app', image: IMAGE }],
    },
    restricted: ['HostProcess', 'Host Namespaces'],
    baseline: ['HostProcess', 'Host Namespaces'],
  },
  {
    name: 'apparmor-annotation',
    annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' },
    spec: compliant(),
    restricted: ['AppArmor'],
    baseline: ['AppArmor'],
  },
];

/** The reason PodSecurity admission gives for a control, at a level (its restricted checks replace some baseline ones). */
export function admissionReason(control: string, level: 'restricted' | 'baseline'): string {
  const reasons: Record<string, string> = {
    HostProcess: 'hostProcess',
    'Host Namespaces': 'host namespaces',
    'Privileged Containers': 'privileged',
    Capabilities: level === 'restricted' ? 'unrestricted capabilities' : 'non-default capabilities',
    'HostPath Volumes': level === 'restricted' ? 'restricted volume types' : 'hostPath volumes',
    'Volume Types': 'restricted volume types',
    'Host Ports': 'hostPort',
    'Host Probes / Lifecycle Hooks': 'probe or lifecycle host',
    AppArmor: 'forbidden AppArmor profile',
    SELinux: 'seLinuxOptions',
    '/proc Mount Type': 'procMount',
    Seccomp: 'seccompProfile',
    Sysctls: 'forbidden sysctls',
    'Privilege Escalation': 'allowPrivilegeEscalation != false',
    'Running as Non-root': 'runAsNonRoot != true',
    'Running as Non-root user': 'runAsUser=0',
  };
  const reason = reasons[control];
  if (!reason) throw new Error(`no admission reason for control ${control}`);
  return reason;
}
