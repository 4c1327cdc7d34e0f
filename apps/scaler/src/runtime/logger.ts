import type { Clock, LogFields, Logger } from '@ebb/core';

/** Log levels in increasing severity. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * A JSON-lines logger: one object per line with `time` (ISO), `level`, `msg` and the fields. Errors are
 * rendered as their message.
 */
export function jsonLogger(options: { level: LogLevel; clock: Clock; write?: (line: string) => void; base?: LogFields }): Logger {
  const min = LOG_LEVELS.indexOf(options.level);
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const log = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const record: Record<string, unknown> = { time: new Date(options.clock.now()).toISOString(), level, msg, ...options.base };
    for (const [k, v] of Object.entries(fields ?? {})) record[k] = v instanceof Error ? v.message : v;
    write(JSON.stringify(record));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
