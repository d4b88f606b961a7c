import { fail } from '../api-error';
import { resourceGroupStatus } from '../errors';
import type { PRINCIPAL_TYPES } from '../state';

type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/** Resource Manager's own codes, worded as on the RM DetachPolicy, RD DetachControlPolicy and RM DeletePolicy API pages (docs/sources.md, Vendor API pages) and their siblings. */
export const rm = {
  policyType: () => fail('InvalidParameter.PolicyType', 'The specified policy type is invalid.', 400),
  // The RM DeletePolicy API page and the ListPolicyVersions page say "1 to 64" while the parameter rule (and the newer
  // DeletePolicyVersion page) say 1 to 128: the rule is enforced, each page's message is kept verbatim.
  policyNameLength: (limitInMessage: 64 | 128) =>
    fail(
      'InvalidParameter.PolicyName.Length',
      `The length of the policy name is invalid. It must be 1 to ${limitInMessage} characters in length.`,
      400,
    ),
  policyNameChars: () =>
    fail(
      'InvalidParameter.PolicyName.InvalidChars',
      'The policy name contains invalid characters. It must only contain upper or lower case letters, numbers, and dash (-).',
      400,
    ),
  versionIdFormat: () =>
    fail('InvalidParameter.VersionId.Format', 'The specified version ID is invalid.', 400),
  policyNotFound: () => fail('EntityNotExist.Policy', 'The policy does not exist.', 404),
  versionNotFound: () => fail('EntityNotExist.Policy.Version', 'The policy version does not exist.', 404),
  resourceGroupNotFound: () =>
    fail(
      'EntityNotExists.ResourceGroup',
      'The specified resource group does not exist. You must first create a resource group.',
      404,
    ),
  resourceGroupStatus,
  deleteConflictUser: () =>
    fail(
      'DeleteConflict.Policy.User',
      'Before deleting the policy, it may not be attached to any user.',
      409,
    ),
  deleteConflictGroup: () =>
    fail(
      'DeleteConflict.Policy.Group',
      'The policy cannot be attached to any group when you delete it.',
      409,
    ),
  // Not documented for Resource Manager: named after the documented User/Group pair (see report).
  deleteConflictRole: () =>
    fail('DeleteConflict.Policy.Role', 'The policy cannot be attached to any role when you delete it.', 409),
  deleteConflictVersion: () =>
    fail(
      'DeleteConflict.Policy.Version',
      'You must delete all non-default versions before you delete the policy.',
      409,
    ),
  deleteDefaultVersion: () =>
    fail('DeleteConflict.Policy.Version.Default', 'You cannot delete the default policy version.', 409),
};

/**
 * Detaching what is not attached / attaching twice. Resource Manager documents no code for either; its
 * policy codes are RAM's (EntityNotExist.Policy, DeleteConflict.Policy.*), so the sandbox answers with
 * RAM's per-principal codes (RAM error reference: EntityNotExist.User.Policy, EntityAlreadyExists.User.Policy…).
 */
const PRINCIPAL_WORD: Record<PrincipalType, { entity: string; noun: string }> = {
  IMSUser: { entity: 'User', noun: 'user' },
  IMSGroup: { entity: 'Group', noun: 'group' },
  ServiceRole: { entity: 'Role', noun: 'role' },
};

export function attachmentNotFound(principalType: PrincipalType) {
  const { entity, noun } = PRINCIPAL_WORD[principalType];
  const message =
    principalType === 'IMSUser'
      ? 'The indicate policy of the user does not exist.'
      : `The indicate policy attached to the ${noun} does not exist.`;
  return fail(`EntityNotExist.${entity}.Policy`, message, 404);
}

export function attachmentExists(principalType: PrincipalType) {
  const { entity, noun } = PRINCIPAL_WORD[principalType];
  return fail(
    `EntityAlreadyExists.${entity}.Policy`,
    `The ${noun} has already been attached this policy.`,
    409,
  );
}
