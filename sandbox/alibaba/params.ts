import type { RawRequest } from '../types';
import { gateway } from './errors';

/**
 * Decodes `a=1&b=x%20y` the way a form decoder does ('+' is a space). The SDK sends RPC parameters in the
 * query with Node's querystring encoding (`*` raw, space %20); signing re-encodes the decoded values, so the
 * wire spelling does not matter as long as decoding is exact. Duplicate names are refused: the SDK never
 * sends them and the signature could not say which one was meant.
 */
export function decodePairs(encoded: string, where: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const part of encoded.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      throw gateway.malformed(`the ${where} is not valid percent-encoding`);
    }
    if (seen.has(key)) throw gateway.malformed(`parameter "${key}" appears more than once in the ${where}`);
    seen.add(key);
    pairs.push([key, value]);
  }
  return pairs;
}

function isFormBody(request: RawRequest): boolean {
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  return request.body.length > 0 && type.startsWith('application/x-www-form-urlencoded');
}

/** RPC parameters: the query plus, for form posts, the body. Other bodies carry no parameters. */
export function rpcParamsOf(request: RawRequest): Record<string, string> {
  const values = new Map(decodePairs(request.rawQuery, 'query string'));
  if (isFormBody(request)) {
    for (const [key, value] of decodePairs(request.body.toString('utf8'), 'request body')) {
      if (values.has(key)) throw gateway.malformed(`parameter "${key}" is in both the query and the body`);
      values.set(key, value);
    }
  }
  return Object.fromEntries(values);
}
