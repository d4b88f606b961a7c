/** What a function deployed to the sandbox's Function Compute learns of one invocation. */
export interface FcInvocation {
  requestId: string;
  account: string;
  service: string;
  /** The version or alias after the service name (`service.qualifier`), when the caller named one. */
  qualifier?: string | undefined;
  function: string;
  /** `Sync` (the caller waits for the result) or `Async` (answered 202 at once). */
  invocationType: 'Sync' | 'Async';
}

/**
 * A function body: the event bytes in, the result out. A Buffer or string result is returned as it is,
 * anything else as JSON; a throw is the function's unhandled error.
 */
export type FcFunction = (payload: Buffer, invocation: FcInvocation) => unknown | Promise<unknown>;

/**
 * The functions deployed to the sandbox, by service and function name. It is deployment wiring, not seed
 * state: it survives `reset()` and world replacement, and a test unregisters what it registered.
 */
export class FunctionRegistry {
  private readonly functions = new Map<string, FcFunction>();

  register(service: string, name: string, body: FcFunction): () => void {
    const key = `${service}/${name}`;
    this.functions.set(key, body);
    return () => {
      if (this.functions.get(key) === body) this.functions.delete(key);
    };
  }

  lookup(service: string, name: string): FcFunction | undefined {
    return this.functions.get(`${service}/${name}`);
  }

  hasService(service: string): boolean {
    for (const key of this.functions.keys()) if (key.startsWith(`${service}/`)) return true;
    return false;
  }

  clear(): void {
    this.functions.clear();
  }
}
