import { invokeFunction } from './invoke-function';

/** Function Compute 2016-08-15 as @alicloud/fc2 calls it: the APIs the sandbox serves. */
export const FC_APIS = [invokeFunction];
