import { joinPointer } from '../../load/json-pointer.js';
import type { JsonSchema } from '../../spec/json-schema.js';
import type { PendingDiagnostic, TraitDef, TraitOutput } from '../types.js';
import { deepestWritten } from './written.js';

export interface SecurityContextSpec {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  fsGroup?: number;
  readOnlyRootFilesystem?: boolean;
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type: 'RuntimeDefault' | 'Localhost' | 'Unconfined'; localhostProfile?: string };
}

const id = (what: string): JsonSchema => ({ type: 'integer', minimum: 0, description: what });
const capabilityList = (what: string): JsonSchema => ({
  type: 'array',
  uniqueItems: true,
  items: { type: 'string', format: 'linux-capability' },
  description: what,
});

/**
 * The container's securityContext, over kubemin's defaults for the component's podSecurity level
 * (security-defaults.ts); what is written here wins. `validate` then checks the pod against that
 * level, so a field the level forbids is an error here, with the level that would allow it.
 */
export const securityContext: TraitDef<SecurityContextSpec> = {
  name: 'securityContext',
  description:
    "The container's security settings (user, group, capabilities, seccomp, read-only root file system, privileged), over kubemin's defaults for the podSecurity level; fsGroup is the pod's, set on the component.",
  scope: 'container',
  requires: ['podTemplate'],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      runAsUser: id("The user id the container runs as (default: the image's USER). Not 0 under podSecurity restricted."),
      runAsGroup: id("The primary group id of the container's processes (default: the image's)."),
      runAsNonRoot: {
        type: 'boolean',
        description:
          "The kubelet refuses to start the container as user 0 (default true under podSecurity restricted, set for the pod). The image's USER must then be numeric, or runAsUser given.",
      },
      fsGroup: id(
        "Pod-level: volumes are made writable by this group, and every container gets it as a supplementary group (e.g. 999 for redis' data). Only on the component, not on an init container or sidecar.",
      ),
      readOnlyRootFilesystem: { type: 'boolean', description: "The image's file system is read-only: write to volumes (an ephemeral storage entry for /tmp)." },
      privileged: { type: 'boolean', description: "Full access to the node's devices and kernel. Needs podSecurity privileged." },
      allowPrivilegeEscalation: {
        type: 'boolean',
        description:
          'Whether a process may gain more privileges than its parent (setuid binaries such as sudo). Default false; true needs podSecurity baseline.',
      },
      capabilities: {
        type: 'object',
        additionalProperties: false,
        description:
          "Linux capabilities, named without CAP_. Under restricted every capability is dropped (drop: [ALL]) and only NET_BIND_SERVICE may be added; baseline allows adding the runtime's defaults (CHOWN, SETUID, NET_BIND_SERVICE...).",
        properties: {
          add: capabilityList('Capabilities to add, e.g. [NET_BIND_SERVICE] to listen on ports below 1024.'),
          drop: capabilityList('Capabilities to drop (default [ALL] under restricted; none under baseline and privileged).'),
        },
      },
      seccompProfile: {
        type: 'object',
        additionalProperties: false,
        required: ['type'],
        description: 'The seccomp profile of the container (default RuntimeDefault, set for the pod). Unconfined needs podSecurity privileged.',
        properties: {
          type: {
            enum: ['RuntimeDefault', 'Localhost', 'Unconfined'],
            description:
              "RuntimeDefault: the container runtime's profile; Localhost: a profile file on the node; Unconfined: none (podSecurity privileged only).",
          },
          localhostProfile: {
            type: 'string',
            format: 'relative-path',
            description: "Localhost: the profile's file, relative to the kubelet's seccomp directory.",
          },
        },
        allOf: [
          {
            if: { properties: { type: { const: 'Localhost' } }, required: ['type'] },
            then: {
              required: ['localhostProfile'],
              errorMessage: "a Localhost seccomp profile needs localhostProfile: its file, relative to the kubelet's seccomp directory",
            },
          },
        ],
      },
    },
  },
  apply(props, ctx) {
    const { fsGroup, ...container } = props;
    const diagnostics: PendingDiagnostic[] = [];
    const out: TraitOutput = { container: { securityContext: { ...container } }, diagnostics };
    const at = (field: string): string => joinPointer(ctx.pointer, field);
    if (fsGroup !== undefined) {
      if (ctx.container.role === 'main') out.pod = { securityContext: { fsGroup } };
      else {
        diagnostics.push({
          severity: 'error',
          code: 'security-context-pod-field',
          message: `fsGroup is a setting of the whole pod, not of the ${ctx.container.role} container "${ctx.container.name}"`,
          hint: "set it in the component's own traits.securityContext",
          pointer: at('fsGroup'),
          atKey: true,
        });
      }
    }
    // The API server refuses this pair (ValidateSecurityContext).
    if (props.allowPrivilegeEscalation === false && props.privileged) {
      diagnostics.push(
        contradiction(
          at('allowPrivilegeEscalation'),
          'allowPrivilegeEscalation: false',
          'privileged: true',
          'a privileged container can always gain privileges, and the API server refuses the pair',
        ),
      );
    }
    if (props.seccompProfile && props.seccompProfile.type !== 'Localhost' && props.seccompProfile.localhostProfile !== undefined) {
      diagnostics.push({
        severity: 'error',
        code: 'security-context-conflict',
        message: `localhostProfile has no meaning for the seccomp profile ${props.seccompProfile.type}`,
        hint: 'remove localhostProfile, or set type: Localhost',
        pointer: joinPointer(ctx.pointer, 'seccompProfile', 'localhostProfile'),
        atKey: true,
      });
    }
    if (props.runAsNonRoot === true && props.runAsUser === 0) {
      diagnostics.push(contradiction(at('runAsUser'), 'runAsUser: 0', 'runAsNonRoot: true', 'the kubelet would refuse to start the container'));
    }
    return out;
  },
  // The container's securityContext, and the pod's fields kubemin takes from the main container's (fsGroup).
  written: (props, field) => (field.on !== 'volume' && field.path[0] === 'securityContext' ? deepestWritten(props, field.path.slice(1)) : undefined),
};

function contradiction(pointer: string, field: string, other: string, why: string): PendingDiagnostic {
  return {
    severity: 'error',
    code: 'security-context-conflict',
    message: `${field} contradicts ${other}: ${why}`,
    hint: `remove one of the two`,
    pointer,
  };
}
