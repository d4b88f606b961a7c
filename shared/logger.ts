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

export const logger = pino(
  {
    name: 'cloud-remediate',
    level: process.env.LOG_LEVEL ?? 'info',
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
