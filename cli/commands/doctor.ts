import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  CREDENTIAL_VARIABLES,
  credentialsFromEnvironment,
  type Environment,
  readEnvironment,
} from '../../shared/config/environment';
import { loadRules } from '../../shared/config/load-rules';
import { ATTACHMENT_LISTERS } from '../../shared/providers/listers';
import { PROVIDERS, type Provider } from '../../shared/requests';
import { openStateStore } from '../../shared/state/open';
import { colourFor } from '../colour';
import { EXIT } from '../errors';
import { describeEndpoint, isAuthFailure } from '../explain';
import { providerContext } from '../runtime';

interface Check {
  check: string;
  status: 'ok' | 'fail' | 'skipped';
  detail: string;
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('show what each cloud, the state store and the rules would use, and check each')
    .option('--json', 'print the checks as one JSON array')
    .addHelpText(
      'after',
      '\nFor each cloud with credentials set: the key id (never the secret) and the endpoint, checked with one\n' +
        'page of a read-only list call (reachable, credentials accepted); then the state store\n' +
        '(REMEDIATE_STATE) and the rules file (REMEDIATE_RULES). Exit code 0 when no check failed, 1 otherwise.',
    )
    .action(async (options: { json?: boolean }) => {
      const environment = readEnvironment(process.env);
      const checks: Check[] = [];
      for (const provider of PROVIDERS) checks.push(await checkCloud(provider, environment));
      checks.push(await checkState(environment), checkRules(environment));
      if (options.json) console.log(JSON.stringify(checks));
      else {
        const { green, red, dim } = colourFor();
        const mark = { ok: green('ok  '), fail: red('FAIL'), skipped: dim('--  ') };
        for (const c of checks) console.log(`${mark[c.status]}  ${c.check.padEnd(8)} ${c.detail}`);
      }
      process.exitCode = checks.some((c) => c.status === 'fail') ? EXIT.failed : EXIT.ok;
    });
}

async function checkCloud(provider: Provider, environment: Environment): Promise<Check> {
  const names = CREDENTIAL_VARIABLES[provider];
  const endpoint = describeEndpoint(provider, environment);
  if (!process.env[names.id] || !process.env[names.secret]) {
    return {
      check: provider,
      status: 'skipped',
      detail: `no credentials (set ${names.id} and ${names.secret})`,
    };
  }
  const { accessKeyId, securityToken } = credentialsFromEnvironment(provider, process.env);
  const uses = `key id ${accessKeyId}${securityToken ? ' with a security token' : ''}, endpoint ${endpoint}`;
  const context = providerContext(provider, environment, process.env);
  // One page is enough to prove the endpoint answers and accepts the credentials.
  const { error } = await ATTACHMENT_LISTERS[provider].list(context, { maxPages: 1 });
  if (!error) return { check: provider, status: 'ok', detail: `${uses}: reachable, credentials accepted` };
  if (error.code === 'NetworkError')
    return { check: provider, status: 'fail', detail: `${uses}: no answer from the endpoint` };
  if (isAuthFailure(error.code)) {
    return {
      check: provider,
      status: 'fail',
      detail: `${uses}: authentication failed (${error.code}): check ${names.id} and ${names.secret}`,
    };
  }
  if (error.errorClass === 'permission') {
    return {
      check: provider,
      status: 'ok',
      detail: `${uses}: reachable, credentials accepted, but the list call was refused (${error.code}): scan needs its read permissions`,
    };
  }
  return { check: provider, status: 'fail', detail: `${uses}: ${error.code}: ${error.message}` };
}

async function checkState(environment: Environment): Promise<Check> {
  const spec = environment.REMEDIATE_STATE;
  const shown = spec.replace(/\/\/[^@/]*@/, '//…@'); // a Redis URL may carry a password
  const path = spec.startsWith('sqlite:') ? spec.slice('sqlite:'.length) : undefined;
  if (path !== undefined && !existsSync(path))
    return {
      check: 'state',
      status: 'ok',
      detail: `${shown}: not created yet (the first command that records creates it)`,
    };
  try {
    const store = openStateStore(spec);
    try {
      const letters = await store.countDeadLetters();
      return {
        check: 'state',
        status: 'ok',
        detail: `${shown}: reachable, ${letters} dead letter${letters === 1 ? '' : 's'}`,
      };
    } finally {
      await store.close();
    }
  } catch (error) {
    return { check: 'state', status: 'fail', detail: `${shown}: ${(error as Error).message}` };
  }
}

function checkRules(environment: Environment): Check {
  const path = environment.REMEDIATE_RULES;
  if (path === undefined)
    return { check: 'rules', status: 'ok', detail: 'REMEDIATE_RULES unset: no rules (explicit orders only)' };
  try {
    const rules = loadRules(path);
    return {
      check: 'rules',
      status: 'ok',
      detail: `${path}: valid, ${rules.rules.length} rules, ${rules.exemptions.length} exemptions`,
    };
  } catch (error) {
    return { check: 'rules', status: 'fail', detail: (error as Error).message };
  }
}
