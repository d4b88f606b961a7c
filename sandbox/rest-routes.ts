import type { Api, RawRequest } from './types';

/** An API of a REST dialect, its `METHOD /path/{name}` compiled once. */
interface Route<A> {
  api: A;
  method: string;
  pattern: RegExp;
  names: string[];
}

/**
 * The router of the REST dialects (Huawei IAM, Function Compute): APIs are found by their declared `path`,
 * and its `{name}` segments are the path parameters the API's schema reads.
 */
export class RestRoutes<A extends Pick<Api, 'path'>> {
  private readonly routes: readonly Route<A>[];

  constructor(apis: readonly A[]) {
    this.routes = apis.flatMap((api) => (api.path === undefined ? [] : [compile(api, api.path)]));
  }

  /** The API serving the request's method and path, with its path parameters percent-decoded. */
  match(request: RawRequest): { api: A; path: Record<string, string> } | undefined {
    const route = this.routes.find((r) => r.method === request.method && r.pattern.test(request.rawPath));
    const match = route?.pattern.exec(request.rawPath);
    if (!route || !match) return undefined;
    const path: Record<string, string> = {};
    route.names.forEach((name, i) => {
      path[name] = decodeSegment(match[i + 1] ?? '');
    });
    return { api: route.api, path };
  }

  /** Whether some API lives at this path, whatever the method (a wrong method differs from no such path). */
  knowsPath(rawPath: string): boolean {
    return this.routes.some((r) => r.pattern.test(rawPath));
  }
}

function compile<A>(api: A, template: string): Route<A> {
  const space = template.indexOf(' ');
  const names: string[] = [];
  const source = template.slice(space + 1).replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { api, method: template.slice(0, space), pattern: new RegExp(`^${source}$`), names };
}

/** A malformed escape is kept as sent: the API's own check then refuses it as an invalid value. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
