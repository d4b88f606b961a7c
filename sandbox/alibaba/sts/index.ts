import { getCallerIdentity } from './get-caller-identity';

/** STS 2015-04-01: the one call the sandbox serves, spoken through the same RPC gateway. */
export const STS_APIS = [getCallerIdentity];
