import { gateway } from '../errors';
import type { RpcParams } from '../params';
import { PRINCIPAL_TYPES } from '../state';
import { rm } from './errors';

export const POLICY_TYPES = ['Custom', 'System'] as const;

export const policyType = (params: RpcParams) => params.oneOf('PolicyType', POLICY_TYPES, rm.policyType);

export const optionalPolicyType = (params: RpcParams) =>
  params.optionalOneOf('PolicyType', POLICY_TYPES, rm.policyType);

const invalidPrincipalType = () => gateway.invalidParameter('PrincipalType');

export const principalType = (params: RpcParams) =>
  params.oneOf('PrincipalType', PRINCIPAL_TYPES, invalidPrincipalType);

export const optionalPrincipalType = (params: RpcParams) =>
  params.optionalOneOf('PrincipalType', PRINCIPAL_TYPES, invalidPrincipalType);

const POLICY_NAME_CHARS = /^[A-Za-z0-9-]+$/;
const POLICY_NAME_MAX = 128;

/**
 * PolicyName where the API documents the name rule (DeletePolicy, DeletePolicyVersion, ListPolicyVersions):
 * 1–128 letters, digits and hyphens. Attach/DetachPolicy document no name errors, so they take the name as
 * is and answer EntityNotExist.Policy for a name that cannot exist. `lengthMessage` is the limit each
 * API's page writes in its message (64 on seed 004 and ListPolicyVersions, 128 on DeletePolicyVersion).
 */
export function checkedPolicyName(params: RpcParams, lengthMessage: 64 | 128): string {
  const name = params.required('PolicyName');
  if (name.length > POLICY_NAME_MAX) throw rm.policyNameLength(lengthMessage);
  if (!POLICY_NAME_CHARS.test(name)) throw rm.policyNameChars();
  return name;
}

/** VersionId as ListPolicyVersions returns it: `v` and a positive number. */
export function checkedVersionId(params: RpcParams): string {
  const id = params.required('VersionId');
  if (!/^v[1-9]\d*$/.test(id)) throw rm.versionIdFormat();
  return id;
}
