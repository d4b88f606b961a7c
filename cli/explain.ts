import { CREDENTIAL_VARIABLES, type Environment, endpointFor } from '../shared/config/environment';
import type { Outcome } from '../shared/outcomes';
import { PROVIDERS, type Provider } from '../shared/requests';

/**
 * Codes that mean the credentials themselves were not accepted (a wrong key id or secret, an expired or
 * missing token, a clock too far off), as opposed to valid credentials lacking a permission. The vendors'
 * error tables classify both as `permission`; a person needs to know which of the two to fix.
 * Alibaba: InvalidAccessKeyId.*, SignatureDoesNotMatch, IncompleteSignature, MissingSecurityToken,
 * InvalidSecurityToken.*, InvalidTimeStamp.* (shared/providers/alibaba/errors.ts); Tencent: AuthFailure.*
 * except AuthFailure.UnauthorizedOperation (a CAM refusal); Huawei: APIGW.0301 / APIG.0301 and HTTP 401
 * (IAM authentication information incorrect).
 */
const AUTH_FAILURE =
  /^(InvalidAccessKeyId\.|SignatureDoesNotMatch$|IncompleteSignature$|MissingSecurityToken$|InvalidSecurityToken\.|InvalidTimeStamp\.|AuthFailure\.(?!UnauthorizedOperation)|APIGW?\.0301$|HTTP401$)/;

export function isAuthFailure(code: string): boolean {
  return AUTH_FAILURE.test(code);
}

/** Lines that say what to fix when a call failed because of the set-up rather than the request. */
export function explainFailure(outcome: Outcome, environment: Environment, env: NodeJS.ProcessEnv): string[] {
  const provider = outcome.error?.provider as Provider | undefined;
  if (!outcome.error || !provider || !(PROVIDERS as readonly string[]).includes(provider)) return [];
  const names = CREDENTIAL_VARIABLES[provider];
  if (outcome.error.code === 'NetworkError') {
    return [`  no answer from the ${provider} endpoint ${describeEndpoint(provider, environment)}`];
  }
  if (isAuthFailure(outcome.error.code)) {
    return [
      `  authentication failed: ${provider} did not accept the credentials (key id ${env[names.id] ?? '(unset)'}); ` +
        `check ${names.id}, ${names.secret}${names.token ? ` and ${names.token}` : ''}`,
    ];
  }
  return [];
}

export function describeEndpoint(provider: Provider, environment: Environment): string {
  const endpoint = endpointFor(provider, environment);
  const variable = `REMEDIATE_${provider.toUpperCase()}_ENDPOINT`;
  return endpoint ? `${endpoint} (${variable})` : `(the public endpoint; ${variable} is unset)`;
}
