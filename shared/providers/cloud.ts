import type { Provider } from '../requests';
import type { OperationRegistry } from './operations';
import type { CallerIdentity } from './types';

/**
 * What one cloud brings to a deployment: its operations and how to learn the account its credentials act
 * in. The engine is handed the clouds it may reach (a function bundle one, the CLI all three,
 * shared/providers/all.ts), so it imports no SDK and a bundle holds only what it was handed.
 */
export interface Cloud {
  provider: Provider;
  operations: OperationRegistry;
  callerIdentity: CallerIdentity;
}

/** The operations of several clouds, as one registry. */
export function operationsOf(clouds: readonly Cloud[]): OperationRegistry {
  return Object.assign({}, ...clouds.map((cloud) => cloud.operations));
}
