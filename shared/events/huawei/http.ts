import * as z from 'zod';
import { decodeEvent, parseOrThrow } from '../common';
import {
  base64FlagSchema,
  bodySchema,
  httpBody,
  httpHeaders,
  methodSchema,
  pathSchema,
} from '../http-common';
import type { HttpReply, HttpRequestEvent } from '../types';

/**
 * Huawei FunctionGraph APIG trigger event (docs/sources.md, HTTP triggers). Sample:
 * test/fixtures/events/huawei/apig.vendor.json. APIG base64-encodes the body by default (`isBase64Encoded:
 * true`), but one of the vendor templates flags a plain JSON body as encoded: such a body, not being base64,
 * is taken as sent.
 */

export const apigEvent = z.object({
  httpMethod: methodSchema,
  path: pathSchema,
  headers: z.unknown().optional(),
  body: bodySchema,
  isBase64Encoded: base64FlagSchema,
});

export function parseHuaweiHttp(event: unknown): HttpRequestEvent {
  const parsed = parseOrThrow(apigEvent, decodeEvent(event));
  return {
    method: parsed.httpMethod,
    path: parsed.path,
    headers: httpHeaders(parsed.headers),
    body: httpBody(parsed.body, parsed.isBase64Encoded),
  };
}

/**
 * The response APIG expects from FunctionGraph; without these four fields it answers 500 (FunctionGraph's
 * response contract, docs/sources.md, HTTP triggers).
 */
export function huaweiHttpResponse(reply: HttpReply): unknown {
  return {
    statusCode: reply.statusCode,
    isBase64Encoded: false,
    headers: { ...reply.headers },
    body: reply.body,
  };
}
