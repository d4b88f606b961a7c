import type { HttpReply, HttpRequestEvent } from '../../shared/events/types';
import { InvalidEventError } from '../../shared/events/types';
import { logger } from '../../shared/logger';
import type { Invocation } from '../../shared/platform/types';
import { runHttpInvoke } from './run';

/**
 * Every HTTP request gets an answer in the platform's shape, errors included: a malformed trigger event
 * is a 400, a function without credentials or state a 500, never an unanswered invocation.
 */
export async function answer<T>(
  event: unknown,
  parse: (event: unknown) => HttpRequestEvent,
  invocation: () => Invocation,
  shape: (reply: HttpReply) => T,
): Promise<T> {
  try {
    return shape(await runHttpInvoke(parse(event), invocation()));
  } catch (error) {
    const invalid = error instanceof InvalidEventError;
    if (!invalid) logger.error({ err: error }, 'http-invoke failed');
    const message = invalid ? `event ${error.message}` : 'internal error';
    return shape({
      statusCode: invalid ? 400 : 500,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: message }),
    });
  }
}
