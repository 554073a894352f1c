// The GitHub Action's logic entry: run() reads the inputs, calls runAction, sets the outputs.
// index.ts calls it (bundled into dist/index.mjs, npm run build:action); GitHub's local-action
// imports this file and calls run() itself. Everything else is in run-action.ts.
import * as core from '@actions/core';
import * as github from '@actions/github';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { octokitComments } from '../github/octokit-comments.js';
import { readInputs } from './inputs.js';
import { runAction } from './run-action.js';

/** A kubeconfig given inline is written to a private file; one given as a path is used as is. */
async function kubeconfigFile(value: string, temp: string): Promise<string | undefined> {
  if (!value.trim()) return undefined;
  if (!value.includes('\n') && existsSync(value)) return value;
  for (const line of value.split('\n')) if (line.trim().length > 8) core.setSecret(line.trim());
  const dir = await mkdtemp(join(temp, 'kubemin-kubeconfig-'));
  const file = join(dir, 'kubeconfig');
  await writeFile(file, value, { mode: 0o600 });
  return file;
}

/** The Action, as GitHub runs it: never throws, a failure fails the step (core.setFailed). */
export async function run(): Promise<void> {
  try {
    await runWithToolkit();
  } catch (err: unknown) {
    core.setFailed(err instanceof Error ? err.message : String(err));
  }
}

async function runWithToolkit(): Promise<void> {
  const inputs = readInputs((name) => core.getInput(name));
  if (inputs.token) core.setSecret(inputs.token);
  const ctx = github.context;
  const temp = process.env.RUNNER_TEMP || tmpdir();
  const prNumber = (ctx.payload.pull_request as { number?: number } | undefined)?.number;
  // The API's address from the context (GITHUB_API_URL, read when run() runs): the toolkit's own
  // default is read when it is imported, before local-action has loaded its environment file.
  const comments =
    inputs.token && prNumber !== undefined
      ? octokitComments(github.getOctokit(inputs.token, { baseUrl: ctx.apiUrl }), { ...ctx.repo, issueNumber: prNumber })
      : undefined;
  const result = await runAction(
    inputs,
    {
      workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
      eventName: ctx.eventName,
      event: ctx.payload,
      repository: `${ctx.repo.owner}/${ctx.repo.repo}`,
      serverUrl: ctx.serverUrl,
      runUrl: `${ctx.serverUrl}/${ctx.repo.owner}/${ctx.repo.repo}/actions/runs/${ctx.runId}`,
      tempDir: temp,
      kubeconfigPath: await kubeconfigFile(inputs.kubeconfig, temp),
    },
    {
      out: (text) => void process.stdout.write(text),
      summary: async (markdown) => {
        if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
      },
      comments,
    },
  );
  core.setOutput('changed', String(result.changed));
  core.setOutput('apps-changed', result.appsChanged.join(','));
  core.setOutput('report-path', result.reportPath);
  if (result.failure) core.setFailed(result.failure);
}
