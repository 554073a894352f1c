/** Structured logs: one line per event, text for people or JSON (`--log-format json`) for collectors. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** `value` as a logfmt value: bare when safe, else JSON-quoted. */
function logfmt(value: string | number | boolean | null): string {
  const s = String(value);
  return /^[\w./:@+-]+$/.test(s) ? s : JSON.stringify(s);
}

export function createLogger(opts: { format: LogFormat; level?: LogLevel; write: (line: string) => void; now?: () => Date }): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const now = opts.now ?? (() => new Date());
  return {
    log(level, message, fields = {}) {
      if (ORDER[level] < min) return;
      const defined = Object.entries(fields).filter((e): e is [string, string | number | boolean | null] => e[1] !== undefined);
      const time = now().toISOString();
      if (opts.format === 'json') {
        opts.write(JSON.stringify({ time, level, msg: message, ...Object.fromEntries(defined) }) + '\n');
      } else {
        opts.write(`${time} ${level.padEnd(5)} ${message}${defined.map(([k, v]) => ` ${k}=${logfmt(v)}`).join('')}\n`);
      }
    },
  };
}
