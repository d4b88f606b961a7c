import { oneOf } from '../params';
import { TENCENT_POLICY_TYPES } from '../state';

/** Binding kinds as the list calls number them: 1 department (node), 2 member (user). */
export const RELATED_TYPE = { NODE: 1, MEMBER: 2 } as const;

/** The lists' `PolicyType`, service control policies when absent. */
export const listPolicyType = (value: string | undefined) =>
  oneOf(value ?? 'SERVICE_CONTROL_POLICY', TENCENT_POLICY_TYPES, 'PolicyType', 'InvalidParameterValue');
