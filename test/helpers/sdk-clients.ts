// The tests' SDK clients live beside the sandbox, which the local runtime's demo also drives.
export * from '../../infra/sandbox/sdk-clients';
