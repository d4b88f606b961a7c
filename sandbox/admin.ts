import { z } from 'zod';
import { faultConfigSchema, NO_FAULTS, parseFaultSpec } from './faults';
import type { Sandbox } from './server';
import type { HttpReply, RawRequest } from './types';

/**
 * The admin API under /_sandbox/, a path no vendor uses:
 * GET health | GET,PUT state | POST reset | GET,DELETE calls | GET calls/count
 * | GET,PUT,DELETE faults (PUT takes a FaultConfig or {"spec": "5xx=0.1,…"}) | GET,PUT limits.
 */
export async function handleAdmin(sandbox: Sandbox, request: RawRequest): Promise<HttpReply> {
  const route = `${request.method} ${request.rawPath.slice('/_sandbox/'.length).replace(/\/$/, '')}`;
  const query = new URLSearchParams(request.rawQuery);
  try {
    switch (route) {
      case 'GET health':
        return json(200, { ok: true });
      case 'GET state':
        return json(200, sandbox.world);
      case 'PUT state':
        sandbox.replaceWorld(bodyOf(request));
        return json(200, { ok: true });
      case 'POST reset':
        sandbox.reset();
        return json(200, { ok: true });
      case 'GET calls':
        return json(200, {
          calls: sandbox.calls.list({
            cloud: query.get('cloud') ?? undefined,
            action: query.get('action') ?? undefined,
            mutating: query.has('mutating') ? query.get('mutating') === 'true' : undefined,
          }),
        });
      case 'GET calls/count':
        return json(200, sandbox.calls.totals());
      case 'DELETE calls':
        sandbox.calls.clear();
        return json(200, { ok: true });
      case 'GET faults':
        return json(200, sandbox.faults.current);
      case 'PUT faults': {
        const body = bodyOf(request);
        const spec = z.object({ spec: z.string() }).safeParse(body);
        sandbox.faults.set(spec.success ? parseFaultSpec(spec.data.spec) : faultConfigSchema.parse(body));
        return json(200, sandbox.faults.current);
      }
      case 'DELETE faults':
        sandbox.faults.set(NO_FAULTS);
        return json(200, sandbox.faults.current);
      case 'GET limits':
        return json(200, sandbox.world.limits);
      case 'PUT limits':
        sandbox.replaceWorld({ ...sandbox.world, limits: bodyOf(request) });
        return json(200, sandbox.world.limits);
      default:
        return json(404, { error: `no admin route ${route}` });
    }
  } catch (error) {
    return json(400, { error: describe(error) });
  }
}

function bodyOf(request: RawRequest): unknown {
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new Error('body: not valid JSON');
  }
}

function describe(error: unknown): string {
  if (error instanceof z.ZodError) {
    return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}

function json(status: number, body: unknown): HttpReply {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
