import type { ApiContext } from '../../types';
import { directoryOf, findControlPolicy, findTarget } from '../accounts';
import { required, rpcParams } from '../api';
import type { AlibabaState } from '../state';
import { rd } from './errors';

/** AttachControlPolicy and DetachControlPolicy take the same two parameters. */
export const changeParams = rpcParams({ PolicyId: required, TargetId: required });

/**
 * Attach/detach need the caller's resource directory with the Control Policy feature enabled, then an
 * existing target and policy. Lists only need the directory.
 */
export function changeContext(policyId: string, targetId: string, context: ApiContext<AlibabaState>) {
  const directory = directoryOf(context);
  if (!directory.controlPolicyEnabled) throw rd.featureDisabled();
  findTarget(directory, targetId);
  findControlPolicy(directory, policyId);
  return directory;
}
