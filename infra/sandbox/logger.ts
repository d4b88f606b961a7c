import pino from 'pino';

/** The sandbox's own log: one JSON object per line on stderr, so stdout stays free for reports. */
export const sandboxLogger = pino(
  { name: 'sandbox', level: process.env.LOG_LEVEL ?? 'info' },
  pino.destination({ fd: 2, sync: false }),
);
