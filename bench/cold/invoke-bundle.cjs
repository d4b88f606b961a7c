// Child process of the cold-invoke bench: a new function instance. Loads one built audit-log bundle,
// calls it once exactly as its platform does with the audit record in BENCH_EVENT, and exits as soon as
// the invocation settled: 0 when it detached, 1 otherwise. Plain CommonJS, run with `node` (no loader).
const [bundle, cloud] = process.argv.slice(2);
const role = JSON.parse(process.env.BENCH_ROLE ?? '{}');
const event = process.env.BENCH_EVENT ?? '{}';
const loading = performance.now();
const exports_ = require(bundle);
const loadMs = performance.now() - loading;
const started = Date.now();
const TIMEOUT_MS = 60_000;

let call;
if (cloud === 'alibaba') {
  // FC 3.0: the event as a Buffer of JSON, the role's credentials in the context.
  const context = {
    requestId: 'bench-cold',
    credentials: {
      accessKeyId: role.accessKeyId,
      accessKeySecret: role.secret,
      securityToken: role.token,
    },
    function: { name: 'audit-log', handler: 'index.handler', memory: 256, timeout: TIMEOUT_MS / 1000 },
    region: 'local',
    // FC names the account the function runs in (docs/sources.md, Handler context objects): the demo's.
    accountId: '1234567890123456',
  };
  call = () => exports_.handler(Buffer.from(event), context);
} else if (cloud === 'tencent') {
  // SCF: the event object, the role's credentials in the environment.
  process.env.TENCENTCLOUD_SECRETID = role.accessKeyId;
  process.env.TENCENTCLOUD_SECRETKEY = role.secret;
  process.env.TENCENTCLOUD_SESSIONTOKEN = role.token;
  const context = {
    request_id: 'bench-cold',
    time_limit_in_ms: TIMEOUT_MS,
    // SCF names the root account's UIN (docs/sources.md, Handler context objects): the demo's.
    tencentcloud_uin: '100000000001',
    getRemainingTimeInMillis: () => TIMEOUT_MS - (Date.now() - started),
  };
  call = () => exports_.main_handler(JSON.parse(event), context);
} else {
  // FunctionGraph: the event object, a context with getters (no account: the function asks the cloud).
  const context = {
    getSecurityAccessKey: () => role.accessKeyId,
    getSecuritySecretKey: () => role.secret,
    getSecurityToken: () => role.token,
    getRemainingTimeInMilliSeconds: () => TIMEOUT_MS - (Date.now() - started),
    getRunningTimeInSeconds: () => TIMEOUT_MS / 1000,
    getRequestID: () => 'bench-cold',
  };
  call = () => exports_.handler(JSON.parse(event), context);
}

call().then(
  (settlement) => {
    const result = { counts: settlement.counts, loadMs };
    process.stdout.write(`${JSON.stringify(result)}\n`, () =>
      process.exit(settlement.counts?.detached === 1 ? 0 : 1),
    );
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
