import { describeFailure, NOTIFICATION_KINDS, type Notification, type NotificationOutcome } from '../notification.js';
import { secretProperties, truncate, type SinkDefinition } from './types.js';

interface SlackSettings {
  /** The incoming webhook's URL: it holds the token. */
  readonly url: string;
}

/** Each outcome with an emoji and a word, so that neither colour nor a picture alone says it. */
const OUTCOME: Record<NotificationOutcome, string> = {
  started: ':arrow_forward: started',
  succeeded: ':white_check_mark: applied',
  failed: ':x: failed',
  rejected: ':no_entry: rejected',
  interrupted: ':warning: interrupted',
  drifted: ':warning: drift found',
  corrected: ':white_check_mark: drift corrected',
  'push-failed': ':warning: status report not pushed',
};

/** Slack's mrkdwn needs &, < and > escaped in text. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The message of a notification: `text` (the fallback of notifications) and its blocks. */
function slackMessage(n: Notification): Record<string, unknown> {
  const commit = `\`${n.commit.sha.slice(0, 12)}\`${n.commit.subject ? ` ${escape(n.commit.subject)}` : ''}${n.commit.author ? ` (${escape(n.commit.author)})` : ''}`;
  const fields = [
    `*App:* ${escape(n.app)}`,
    ...(n.environment ? [`*Environment:* ${escape(n.environment)}`] : []),
    `*Outcome:* ${OUTCOME[n.outcome]}`,
    `*Commit:* ${commit}`,
    ...(n.trigger ? [`*Trigger:* ${n.trigger}`] : []),
    ...(n.durations ? [`*Duration:* ${(n.durations.totalMs / 1000).toFixed(1)}s`] : []),
  ];
  const blocks: Array<Record<string, unknown>> = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`${OUTCOME[n.outcome]} *${escape(n.key)}*\n${fields.join('\n')}`, 3000) } },
  ];
  if (n.failure) {
    const f = n.failure;
    const lines = [
      `*Phase:* ${escape(f.phase)}`,
      ...(f.object ? [`*Object:* ${escape(f.object)}`] : []),
      ...(f.reason ? [`*Reason:* ${escape(f.reason)}`] : []),
      `*Cause:* ${escape(f.cause)}`,
      ...(f.source ? [`*Source:* \`${escape(f.source)}\``] : []),
    ];
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 3000) } });
  }
  if (n.drifted?.length) {
    const shown = n.drifted.slice(0, 20).map((o) => `• ${escape(o)}`);
    if (n.drifted.length > 20) shown.push(`… and ${n.drifted.length - 20} more`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Drifted objects:*\n${shown.join('\n')}`, 3000) } });
  }
  if (n.link) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in kubemin' }, url: n.link }] });
  }
  const text = n.failure ? `${OUTCOME[n.outcome]} ${n.key}: ${describeFailure(n.failure)}` : `${OUTCOME[n.outcome]} ${n.summary}`;
  return { text: truncate(escape(text), 3000), blocks };
}

/** A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat): text and blocks. */
export const slackSink: SinkDefinition<SlackSettings> = {
  type: 'slack',
  description: 'A Slack-compatible incoming webhook: a message with text and blocks',
  handles: NOTIFICATION_KINDS,
  defaultEvents: ['apply.succeeded', 'apply.failed', 'apply.rejected', 'apply.interrupted', 'drift.found', 'status.push-failed'],
  properties: secretProperties('url', 'Incoming webhook URL', 'never'),
  required: [],
  resolve(entry, ctx) {
    const url = ctx.secret(entry, 'url', { required: true, plain: 'never' });
    return url === undefined ? undefined : { url };
  },
  create(settings, ctx) {
    return {
      name: ctx.name,
      type: 'slack',
      async deliver(n, post) {
        await post(settings.url, JSON.stringify(slackMessage(n)), { 'Content-Type': 'application/json; charset=utf-8' });
      },
    };
  },
};
