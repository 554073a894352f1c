import type { ProbeSpec, ProbeType } from '../../../expand/traits/probes.js';
import { quote } from '../../../k8s/formats/quote.js';
import type { ConvertContext } from '../context.js';
import { JsonObject } from '../json-object.js';
import type { KcProbe } from '../types.js';
import type { TraitConverter } from './types.js';

const TYPES: readonly ProbeType[] = ['liveness', 'readiness', 'startup'];
const TIMINGS = [
  ['initial_delay_seconds', 'initialDelaySeconds'],
  ['period_seconds', 'periodSeconds'],
  ['timeout_seconds', 'timeoutSeconds'],
  ['failure_threshold', 'failureThreshold'],
  ['success_threshold', 'successThreshold'],
] as const;

type HttpGet = NonNullable<KcProbe['http_get']>;
type TcpSocket = NonNullable<KcProbe['tcp_socket']>;

/** probes -> probes; a timing of 0 is Go's "unset", so Kubernetes' default. */
export const probes: TraitConverter = {
  name: 'probes',
  kubemin: 'probes',
  scope: 'container',
  convert(value, pointer, ctx) {
    const entries = JsonObject.readArray<KcProbe>(value, pointer, ctx.problems, 'probes');
    if (!entries) return undefined;
    const out: ProbeSpec[] = [];
    for (const e of entries) {
      const probe = probeEntry(e, ctx);
      if (probe) out.push(probe);
      e.finish('a probe');
    }
    return out.length ? out : undefined;
  },
};

function probeEntry(e: JsonObject<KcProbe>, ctx: ConvertContext): ProbeSpec | undefined {
  const rawType = e.string('type');
  const type = TYPES.find((t) => t === rawType);
  if (rawType === undefined) ctx.problems.error(e.at('type'), 'missing-field', 'a probe needs a type: liveness, readiness or startup');
  else if (type === undefined) ctx.problems.error(e.at('type'), 'invalid-value', `probe type ${quote(rawType)} is not one of: liveness, readiness, startup`);
  const out: ProbeSpec = { type: type ?? 'liveness' };

  const exec = e.object<{ command?: string[] }>('exec');
  if (exec) {
    out.exec = { command: exec.stringList('command') ?? [] };
    exec.finish('exec');
  }
  const http = e.object<HttpGet>('http_get');
  if (http) {
    const path = http.string('path');
    const port = http.int('port');
    const host = http.string('host');
    const scheme = http.string('scheme');
    if (scheme !== undefined && scheme !== scheme.toUpperCase()) {
      ctx.problems.warn(
        http.at('scheme'),
        'probe-scheme',
        `scheme ${quote(scheme)} is written ${quote(scheme.toUpperCase())}: Kubernetes only takes HTTP or HTTPS, and KubeMin-Cli passes it on as written`,
      );
    }
    if (!port) ctx.problems.error(http.at('port'), 'missing-field', 'an http_get probe needs a port (Kubernetes refuses one without)');
    // The kubelet puts the '/' in front of a path without one; kubemin asks for it written.
    out.httpGet = {
      ...(path !== undefined ? { path: path.startsWith('/') ? path : `/${path}` } : {}),
      port: port ?? 0,
      ...(host !== undefined ? { host } : {}),
      ...(scheme !== undefined ? { scheme: scheme.toUpperCase() } : {}),
    };
    http.finish('http_get');
  }
  const tcp = e.object<TcpSocket>('tcp_socket');
  if (tcp) {
    const port = tcp.int('port');
    if (!port) ctx.problems.error(tcp.at('port'), 'missing-field', 'a tcp_socket probe needs a port (Kubernetes refuses one without)');
    const host = tcp.string('host');
    out.tcpSocket = { port: port ?? 0, ...(host !== undefined ? { host } : {}) };
    tcp.finish('tcp_socket');
  }
  for (const [from, to] of TIMINGS) {
    const v = e.int(from);
    if (v !== undefined && v !== 0) out[to] = v;
  }
  return type === undefined ? undefined : out;
}
