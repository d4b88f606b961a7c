import { getCallerIdentity } from './get-caller-identity';

/** STS 2018-08-13: the one call the sandbox serves, through the same API 3.0 gateway. */
export const STS_APIS = [getCallerIdentity];
