import * as z from 'zod';
import { decodeEvent, parseOrThrow } from '../common';
import { base64FlagSchema, bodySchema, httpBody, httpHeaders, methodSchema } from '../http-common';
import type { HttpReply, HttpRequestEvent } from '../types';

/**
 * Alibaba Function Compute 3.0 HTTP trigger event (docs/sources.md, HTTP triggers), which FC hands to
 * `handler(event, context)` as a Buffer of JSON. Sample:
 * test/fixtures/events/alibaba/http-trigger-fc3.vendor.json.
 */

export const fcHttpEvent = z.object({
  rawPath: z.string('must be a string').optional(),
  headers: z.unknown().optional(),
  body: bodySchema,
  isBase64Encoded: base64FlagSchema,
  requestContext: z.object({
    http: z.object({ method: methodSchema, path: z.string('must be a string').optional() }),
  }),
});

/**
 * `rawPath` is URL-encoded; `requestContext.http.path` is the decoded path (FC's HTTP trigger page),
 * preferred when present.
 */
function decodedPath(event: z.infer<typeof fcHttpEvent>): string {
  const path = event.requestContext.http.path;
  if (path) return path;
  if (!event.rawPath) return '/';
  try {
    return decodeURIComponent(event.rawPath);
  } catch {
    return event.rawPath;
  }
}

export function parseAlibabaHttp(event: unknown): HttpRequestEvent {
  const parsed = parseOrThrow(fcHttpEvent, decodeEvent(event));
  return {
    method: parsed.requestContext.http.method,
    path: decodedPath(parsed),
    headers: httpHeaders(parsed.headers),
    body: httpBody(parsed.body, parsed.isBase64Encoded),
  };
}

/** The HTTPTriggerResponse FC 3.0 expects back (docs/sources.md, HTTP triggers). */
export function alibabaHttpResponse(reply: HttpReply): unknown {
  return {
    statusCode: reply.statusCode,
    headers: { ...reply.headers },
    isBase64Encoded: false,
    body: reply.body,
  };
}
