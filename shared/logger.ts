import pino from 'pino';

/**
 * The project's log: one JSON object per line on stderr (stdout belongs to command output), with every
 * credential-shaped field redacted wherever it appears in a logged object.
 */
export const REDACTED_PATHS = [
  'credentials',
  '*.credentials',
  'accessKeySecret',
  '*.accessKeySecret',
  'securityToken',
  '*.securityToken',
  'secret',
  '*.secret',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-acs-security-token"]',
  'headers["x-tc-token"]',
  'headers["x-security-token"]',
];

/** The levels LOG_LEVEL may name (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * LOG_LEVEL when it names a level, else info: a wrong value must not crash the import of this module with a
 * stack trace; readEnvironment reports it (exit 2, the variable and the allowed values named).
 */
export function logLevelFrom(value: string | undefined): string {
  return (LOG_LEVELS as readonly string[]).includes(value ?? '') ? (value as string) : 'info';
}

export const logger = pino(
  {
    name: 'cloud-remediate',
    level: logLevelFrom(process.env.LOG_LEVEL),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  },
  // Written asynchronously, so a batch never waits on stderr line by line; `flushLogs` ends each invocation.
  pino.destination({ fd: 2, sync: false }),
);

export type Logger = pino.Logger;

/** Writes out what is buffered: before a function returns (the platform may freeze it) and before exit. */
export function flushLogs(): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}
