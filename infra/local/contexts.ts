import { randomUUID } from 'node:crypto';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET } from '../../sandbox/keys';

/**
 * Handler contexts as each platform passes them, carrying the sandbox's default key where the platform
 * would carry the function role's temporary credentials.
 */
export function fcContext(timeoutSeconds = 60): unknown {
  return {
    requestId: randomUUID(),
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_SECRET, securityToken: '' },
    function: { name: 'local', handler: 'index.handler', memory: 256, timeout: timeoutSeconds },
    region: 'local',
  };
}

/** SCF puts the credentials in the environment, not the context. */
export function scfContext(timeoutMs = 60_000): unknown {
  process.env.TENCENTCLOUD_SECRETID = DEFAULT_ACCESS_KEY_ID;
  process.env.TENCENTCLOUD_SECRETKEY = DEFAULT_SECRET;
  const started = Date.now();
  return {
    request_id: randomUUID(),
    time_limit_in_ms: timeoutMs,
    getRemainingTimeInMillis: () => timeoutMs - (Date.now() - started),
  };
}

export function functionGraphContext(timeoutMs = 60_000): unknown {
  const started = Date.now();
  const requestId = randomUUID();
  return {
    getSecurityAccessKey: () => DEFAULT_ACCESS_KEY_ID,
    getSecuritySecretKey: () => DEFAULT_SECRET,
    getSecurityToken: () => '',
    getRemainingTimeInMilliSeconds: () => timeoutMs - (Date.now() - started),
    getRunningTimeInSeconds: () => timeoutMs / 1000,
    getRequestID: () => requestId,
  };
}

export function contextFor(cloud: string): unknown {
  return cloud === 'alibaba' ? fcContext() : cloud === 'tencent' ? scfContext() : functionGraphContext();
}
