import { createHmac, randomUUID } from 'node:crypto';
import { acsEncode } from './signature';

/**
 * The classic RPC signature (SignatureVersion 1.0, HMAC-SHA1), as @alicloud/pop-core 1.8.0
 * (lib/rpc.js `request`) and Alibaba's "signature mechanism" page build it:
 *   StringToSign = METHOD & enc("/") & enc(sorted `enc(key)=enc(value)` pairs joined by "&")
 *   Signature    = base64(HMAC-SHA1(secret + "&", StringToSign))
 * where enc is RFC 3986 percent-encoding and every parameter but Signature is signed.
 */
export const RPC_SIGNATURE_METHOD = 'HMAC-SHA1';
export const RPC_SIGNATURE_VERSION = '1.0';

/** The common parameters of an RPC call: credentials and signing details, never part of the API's own. */
export const RPC_COMMON_PARAMS = new Set([
  'AccessKeyId',
  'Action',
  'Format',
  'RegionId',
  'SecurityToken',
  'Signature',
  'SignatureMethod',
  'SignatureNonce',
  'SignatureType',
  'SignatureVersion',
  'Timestamp',
  'Version',
]);

export function rpcStringToSign(method: string, params: ReadonlyArray<readonly [string, string]>): string {
  const canonical = params
    .filter(([key]) => key !== 'Signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${acsEncode(key)}=${acsEncode(value)}`)
    .join('&');
  return `${method.toUpperCase()}&${acsEncode('/')}&${acsEncode(canonical)}`;
}

export function rpcSignature(secret: string, stringToSign: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** `YYYY-MM-DDThh:mm:ssZ`, the only Timestamp form the RPC gateway takes. */
export function rpcTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** A complete signed query string (for tests and tools that craft raw RPC requests). */
export function rpcSignedQuery(input: {
  method: string;
  params: Readonly<Record<string, string>>;
  accessKeyId: string;
  secret: string;
  token?: string;
  now?: Date;
  nonce?: string;
}): string {
  const params: Record<string, string> = {
    ...input.params,
    AccessKeyId: input.accessKeyId,
    SignatureMethod: RPC_SIGNATURE_METHOD,
    SignatureVersion: RPC_SIGNATURE_VERSION,
    SignatureNonce: input.nonce ?? randomUUID(),
    Timestamp: rpcTimestamp(input.now ?? new Date()),
    ...(input.token ? { SecurityToken: input.token } : {}),
  };
  const pairs = Object.entries(params);
  const signature = rpcSignature(input.secret, rpcStringToSign(input.method, pairs));
  return [...pairs, ['Signature', signature] as const]
    .map(([key, value]) => `${acsEncode(key)}=${acsEncode(value)}`)
    .join('&');
}
