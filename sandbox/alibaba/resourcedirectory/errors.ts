import { fail } from '../api-error';

/**
 * Resource Directory / control policy codes. NotSupport.DetachLastControlPolicy and EntityNotExists.Target
 * are on the RD DetachControlPolicy API page (docs/sources.md, Vendor API pages); EntityNotExists.ResourceDirectory is on the Resource Directory pages (e.g. GetAccount);
 * EntityNotExists.ControlPolicy is the code the Terraform provider treats as "policy gone". The other three
 * are undocumented for control policies and named after their documented resource-control-policy twins
 * (EntityNotExists.ResourceControlPolicy…, InvalidResourceControlPolicyEnablementStatus).
 */
/** The Resource Directory writes the sandbox serves: the calls ConcurrentCallNotSupported can refuse. */
export const RD_WRITES: ReadonlySet<string> = new Set(['AttachControlPolicy', 'DetachControlPolicy']);

export const rd = {
  /**
   * Answered while another Resource Directory change runs; Alibaba's Terraform provider retries it on
   * every RD write. Neither its HTTP status nor its message is documented: 409 and this text are ours.
   */
  concurrentCall: () =>
    fail(
      'ConcurrentCallNotSupported',
      'Another operation on the resource directory is in progress. Try again later.',
      409,
    ),
  lastPolicy: () =>
    fail(
      'NotSupport.DetachLastControlPolicy',
      'It is not detach the last control policy on the target node.',
      400,
    ),
  targetNotFound: () =>
    fail('EntityNotExists.Target', 'The specified target does not exist in the resource directory.', 404),
  noDirectory: () =>
    fail(
      'EntityNotExists.ResourceDirectory',
      'The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.',
      404,
    ),
  policyNotFound: () =>
    fail('EntityNotExists.ControlPolicy', 'The specified control policy does not exist.', 404),
  attachmentNotFound: () =>
    fail('EntityNotExists.ControlPolicyAttachment', 'The control policy attachment does not exist.', 404),
  attachmentExists: () =>
    fail('EntityAlreadyExists.ControlPolicyAttachment', 'The control policy attachment already exists.', 409),
  featureDisabled: () =>
    fail(
      'InvalidControlPolicyEnablementStatus',
      'The control policy enablement status is not valid to perform this operation.',
      409,
    ),
};
