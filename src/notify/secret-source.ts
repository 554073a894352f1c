import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PlainValue } from './sinks/types.js';

/** Where a secret field's value came from: its problems name the file or variable, never the value. */
export type SecretForm =
  { readonly form: 'plain'; readonly value: string } | { readonly form: 'file'; readonly path: string } | { readonly form: 'env'; readonly name: string };

export interface SecretReader {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The config file's directory: relative paths are read from there. */
  readonly dir: string;
  readonly readFile?: (file: string) => string;
}

/** The value, or why it cannot be read (a message that holds no part of the value). */
export function readSecret(form: SecretForm, reader: SecretReader): { value: string } | { problem: string; hint: string } {
  switch (form.form) {
    case 'plain':
      return { value: form.value };
    case 'file': {
      const file = path.resolve(reader.dir, form.path);
      let text: string;
      try {
        text = (reader.readFile ?? ((f: string) => readFileSync(f, 'utf8')))(file);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
        return { problem: `the file ${form.path} cannot be read (${code})`, hint: 'mount the secret there, or give another path' };
      }
      const value = text.trim();
      return value ? { value } : { problem: `the file ${form.path} is empty`, hint: 'write the value in it (a trailing newline is ignored)' };
    }
    case 'env': {
      const value = reader.env[form.name]?.trim();
      return value
        ? { value }
        : { problem: `the environment variable ${form.name} is not set`, hint: `set ${form.name}, or read the value from a file instead` };
    }
  }
}

/** Query parameters that carry credentials (`?token=`, `?sig=`, `?api_key=`). */
const CREDENTIAL_PARAM = /token|key|secret|sig|auth|pass|code|credential/i;

/** Hosts whose webhook URLs are credentials in their path. */
const TOKEN_IN_PATH_HOSTS = ['hooks.slack.com', 'discord.com', 'discordapp.com', 'outlook.office.com', 'webhook.office.com'];

/**
 * Why a URL may not be written in the config (it holds credentials), or why it is no URL.
 * The message never quotes the URL.
 */
export function urlProblem(value: string, plain: PlainValue, fromConfig: boolean): { message: string; hint: string } | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { message: 'is not a URL', hint: 'write an absolute http(s) URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { message: 'is not an http(s) URL', hint: 'write an absolute http(s) URL' };
  if (!fromConfig || plain === 'allowed') return undefined;
  const hint = 'read it from a file (urlFile: /path) or an environment variable (urlEnv: NAME); keep it out of git';
  if (url.username || url.password) return { message: 'holds credentials (user:password@) and may not be written in the config', hint };
  if ([...url.searchParams.keys()].some((k) => CREDENTIAL_PARAM.test(k)))
    return { message: 'holds a credential in its query and may not be written in the config', hint };
  if (TOKEN_IN_PATH_HOSTS.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`)))
    return { message: 'is a webhook URL whose path is a token and may not be written in the config', hint };
  return undefined;
}
