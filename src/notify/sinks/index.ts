import { githubDeploymentSink } from './github-deployment.js';
import { githubStatusSink } from './github-status.js';
import { slackSink } from './slack.js';
import type { SinkDefinition } from './types.js';
import { webhookSink } from './webhook.js';

/** The sink types, one file each: adding one is a file and a line here. */
const builtinSinks: ReadonlyArray<SinkDefinition<any>> = [webhookSink, slackSink, githubStatusSink, githubDeploymentSink];

export function sinkTable(sinks: ReadonlyArray<SinkDefinition<any>> = builtinSinks): ReadonlyMap<string, SinkDefinition<any>> {
  const map = new Map<string, SinkDefinition<any>>();
  for (const s of sinks) {
    if (map.has(s.type)) throw new Error(`two sinks of type "${s.type}"`);
    map.set(s.type, s);
  }
  return map;
}
