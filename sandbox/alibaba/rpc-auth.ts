import { callerOf } from '../keys';
import type { Caller, KeyLookup, RawRequest } from '../types';
import { constantTimeEqual, headerValue } from '../wire';
import { API_VERSION, checkToken, DATE_WINDOW_MS, rememberNonce } from './auth';
import { gateway } from './errors';
import { rpcParamsOf } from './params';
import { RPC_SIGNATURE_METHOD, RPC_SIGNATURE_VERSION, rpcSignature, rpcStringToSign } from './rpc-signature';

const RPC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * A request signed the classic way: no Authorization header, the Signature among the parameters (and no
 * SecretId: that is Tencent's v1 signature, which also signs its parameters in the query).
 */
export function isRpcSigned(request: RawRequest): boolean {
  if (headerValue(request.headers, 'authorization') !== undefined) return false;
  try {
    const params = rpcParamsOf(request);
    return params.Signature !== undefined && params.SecretId === undefined;
  } catch {
    return false;
  }
}

/**
 * Verifies a classic RPC request (SignatureVersion 1.0, HMAC-SHA1 over the sorted parameters) in the
 * gateway's order of the ACS3 path: version, signature method, timestamp, key, signature, token, nonce.
 * The date window (15 minutes) and the nonce store are the ones ACS3 requests use.
 */
export function authenticateRpc(request: RawRequest, keys: KeyLookup, now: Date): Caller {
  const params = rpcParamsOf(request);
  const version = params.Version ?? headerValue(request.headers, 'x-acs-version');
  if (version !== API_VERSION) throw gateway.invalidVersion();
  if (!params.SignatureMethod) throw gateway.missingParameter('SignatureMethod');
  if (params.SignatureMethod !== RPC_SIGNATURE_METHOD) throw gateway.invalidSignatureMethod();
  if (params.SignatureVersion !== undefined && params.SignatureVersion !== RPC_SIGNATURE_VERSION)
    throw gateway.incompleteSignature(`SignatureVersion must be ${RPC_SIGNATURE_VERSION}.`);

  const timestamp = params.Timestamp;
  if (!timestamp) throw gateway.missingParameter('Timestamp');
  const signedAt = RPC_TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(signedAt)) throw gateway.timestampFormat();
  if (Math.abs(now.getTime() - signedAt) > DATE_WINDOW_MS) throw gateway.timestampExpired();
  const nonce = params.SignatureNonce;
  if (!nonce) throw gateway.missingParameter('SignatureNonce');

  if (!params.AccessKeyId) throw gateway.missingParameter('AccessKeyId');
  const key = keys('alibaba', params.AccessKeyId);
  if (!key) throw gateway.accessKeyNotFound();
  const expected = rpcSignature(key.secret, rpcStringToSign(request.method, Object.entries(params)));
  if (!constantTimeEqual(expected, params.Signature ?? '')) throw gateway.signatureDoesNotMatch();

  checkToken(key, params.SecurityToken);
  rememberNonce(key, nonce, signedAt, now);
  return callerOf(key);
}
