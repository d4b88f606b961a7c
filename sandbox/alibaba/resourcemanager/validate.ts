import { oneOf, optionalOneOf, required } from '../api';
import { gateway } from '../errors';
import { PRINCIPAL_TYPES } from '../state';
import { rm } from './errors';

export const POLICY_TYPES = ['Custom', 'System'] as const;

export const policyType = oneOf(POLICY_TYPES, rm.policyType);

export const optionalPolicyType = optionalOneOf(POLICY_TYPES, rm.policyType);

const invalidPrincipalType = () => gateway.invalidParameter('PrincipalType');

export const principalType = oneOf(PRINCIPAL_TYPES, invalidPrincipalType);

export const optionalPrincipalType = optionalOneOf(PRINCIPAL_TYPES, invalidPrincipalType);

const POLICY_NAME_CHARS = /^[A-Za-z0-9-]+$/;
const POLICY_NAME_MAX = 128;

/**
 * PolicyName where the API documents the name rule (DeletePolicy, DeletePolicyVersion, ListPolicyVersions):
 * 1–128 letters, digits and hyphens. Attach/DetachPolicy document no name errors, so they take the name as
 * is and answer EntityNotExist.Policy for a name that cannot exist. `lengthMessage` is the limit each
 * API's page writes in its message (64 on DeletePolicy and ListPolicyVersions, 128 on DeletePolicyVersion).
 */
export const checkedPolicyName = (lengthMessage: 64 | 128) => (name: string) =>
  required(name).transform((value) => {
    if (value.length > POLICY_NAME_MAX) throw rm.policyNameLength(lengthMessage);
    if (!POLICY_NAME_CHARS.test(value)) throw rm.policyNameChars();
    return value;
  });

/** VersionId as ListPolicyVersions returns it: `v` and a positive number. */
export const checkedVersionId = (name: string) =>
  required(name).transform((value) => {
    if (!/^v[1-9]\d*$/.test(value)) throw rm.versionIdFormat();
    return value;
  });
