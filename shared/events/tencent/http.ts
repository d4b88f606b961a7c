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
import { type HttpReply, type HttpRequestEvent, InvalidEventError } from '../types';

/**
 * Tencent SCF HTTP events (docs/sources.md, HTTP triggers): the function URL event and the API Gateway
 * integration event it replaces, the same shape minus `requestContext`, `isBase64Encoded` and the parameter
 * maps. Sample: test/fixtures/events/tencent/function-url.vendor.json.
 */

export const scfHttpEvent = z.object({
  httpMethod: methodSchema.optional(),
  path: pathSchema,
  headers: z.unknown().optional(),
  body: bodySchema,
  isBase64Encoded: base64FlagSchema,
  // API Gateway repeats the method here; its `path` is the route template (`/test/{path}`), not the request path.
  requestContext: z.object({ httpMethod: methodSchema.optional() }).optional(),
});

export function parseTencentHttp(event: unknown): HttpRequestEvent {
  const parsed = parseOrThrow(scfHttpEvent, decodeEvent(event));
  const method = parsed.httpMethod ?? parsed.requestContext?.httpMethod;
  if (method === undefined) throw new InvalidEventError('httpMethod', 'must be an HTTP method');
  return {
    method,
    path: parsed.path,
    headers: httpHeaders(parsed.headers),
    body: httpBody(parsed.body, parsed.isBase64Encoded),
  };
}

/** The integration response API Gateway and function URLs expect (docs/sources.md, HTTP triggers). */
export function tencentHttpResponse(reply: HttpReply): unknown {
  return {
    isBase64Encoded: false,
    statusCode: reply.statusCode,
    headers: { ...reply.headers },
    body: reply.body,
  };
}
