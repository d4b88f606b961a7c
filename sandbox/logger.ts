import pino from 'pino';
import { logLevelFrom } from '../shared/logger';

/** The sandbox's own log: one JSON object per line on stderr, so stdout stays free for reports. */
export const sandboxLogger = pino(
  { name: 'sandbox', level: logLevelFrom(process.env.LOG_LEVEL) },
  pino.destination({ fd: 2, sync: false }),
);
