/**
 * The adversarial phases of the soak (issue 11), run after the main pass on the world restored as
 * generated, with the faults off and the store emptied, so every figure is the request's own doing:
 * - label games: requests whose `account` label differs from the real account are refused, none acts;
 * - a cascade over exempt attachments: the policy and the exempt attachment stay, the outcome names it;
 * - STS key rotation: four instance keys of one account share one breaker budget;
 * - concurrent redrives: two `remediate dlq redrive --all` at once act on each dead letter at most once.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CallCounts, CallRecord } from '../../sandbox/calls';
import { parseWorld } from '../../sandbox/world';
import type { StateStore } from '../../shared/state/types';
import { callTarget } from './check';
import type { PassInput, runPass } from './pass';
import { SoakQueue } from './queue';
import { ALIBABA_ACCOUNT, type SoakCase, stillPresent } from './world';

export interface AdversarialFacts {
  durationMs: number;
  labels: { requests: number; invalidInput: number; mutatingCalls: number };
  cascade: {
    requests: number;
    exemptAttachments: number;
    mutatingCalls: number;
    policiesDeleted: number;
    exemptDetached: number;
    outcomesNamingIt: number;
  };
  rotation: { requests: number; keys: number; breaker: number; mutatingCalls: number; circuitOpen: number };
  redrive: {
    letters: number;
    mutatingCalls: number;
    targetsCalledTwice: string[];
    stillDeadLettered: number;
  };
}

export interface AdversarialInput {
  cases: SoakCase[];
  /** How many requests each phase sends. */
  requests: number;
  breaker: number;
  store: StateStore;
  admin: <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;
  /** A pass over worker slots signing with the given key names, under the given rules file. */
  pass: (name: string, queue: SoakQueue, keyNames: string[], rulesPath: string) => ReturnType<typeof runPass>;
  /** The environment a CLI run needs: endpoints, state, rules and one key per cloud. */
  cliEnv: (rulesPath: string) => NodeJS.ProcessEnv;
  dir: string;
  sink: PassInput['sink'];
}

const ROOT = resolve(__dirname, '../..');

export async function runAdversarial(input: AdversarialInput): Promise<AdversarialFacts> {
  const { admin, store } = input;
  const started = Date.now();
  const mutating = async () => (await admin<CallCounts>('GET', 'calls/count')).mutating;
  const rules = (name: string, maxActions: number, exemptions: unknown[] = []) => {
    const path = join(input.dir, `rules-${name}.json`);
    // Queue orders draw on the explicit budget (the flat form would be the audit one).
    const budget = { maxActions, window: '10m' };
    writeFileSync(
      path,
      JSON.stringify({ version: 1, breaker: { audit: budget, explicit: budget }, exemptions }),
    );
    return path;
  };
  const open = rules('open', 1_000_000);
  const remediable = input.cases.filter((c) => !c.permanent && c.route === 'main');

  // Label games: each request names another account of its cloud's format.
  const labelled = remediable.slice(0, input.requests);
  const labels = new SoakQueue();
  labelled.forEach((c, i) => {
    labels.send({
      caseIndex: c.index,
      messageId: `label-${c.messageId}`,
      cloud: c.cloud,
      route: c.route,
      body: JSON.stringify({
        ...c.request,
        eventId: `label-${c.request.eventId}`,
        account: otherAccount(String(c.request.account), i),
      }),
    });
  });
  let before = await mutating();
  await input.pass('labels', labels, ['w0', 'w1'], open);
  const labelLetters = await store.listDeadLetters(1_000_000);
  const labelFacts = {
    requests: labelled.length,
    invalidInput: labelLetters.filter((l) => (l.record as { reason?: string }).reason === 'invalid-input')
      .length,
    mutatingCalls: (await mutating()) - before,
  };
  await store.clear();

  // A cascade delete whose every attachment is exempt: the detach is refused, so the delete must not run.
  const cascades = remediable
    .filter((c) => c.target.kind === 'alibaba-policy' && c.request.cascade === true)
    .slice(0, input.requests);
  const worldBefore = parseWorld(await admin('GET', 'state'));
  const attachmentsOf = (world: typeof worldBefore, policyName: string) =>
    (world.alibaba.accounts[ALIBABA_ACCOUNT]?.attachments ?? []).filter((a) => a.policyName === policyName);
  const exempt = cascades.flatMap((c) => attachmentsOf(worldBefore, String(c.request.policyName)));
  const exemptions = exempt.map((a) => ({
    when: { principalName: a.principalName },
    reason: 'soak: an attachment the owner keeps',
    owner: 'soak',
    expires: '2999-12-31',
  }));
  const cascadeQueue = new SoakQueue();
  for (const c of cascades)
    cascadeQueue.send({
      caseIndex: c.index,
      messageId: `exempt-${c.messageId}`,
      cloud: c.cloud,
      route: c.route,
      body: JSON.stringify({ ...c.request, eventId: `exempt-${c.request.eventId}` }),
    });
  before = await mutating();
  await input.pass('exempt-cascade', cascadeQueue, ['w0', 'w1'], rules('exempt', 1_000_000, exemptions));
  const worldAfter = parseWorld(await admin('GET', 'state'));
  const cascadeLetters = (await store.listDeadLetters(1_000_000)).map((l) => JSON.stringify(l.record));
  const cascadeFacts = {
    requests: cascades.length,
    exemptAttachments: exempt.length,
    mutatingCalls: (await mutating()) - before,
    policiesDeleted: cascades.filter((c) => !stillPresent(worldAfter, c.target)).length,
    exemptDetached: exempt.filter(
      (a) =>
        !attachmentsOf(worldAfter, a.policyName).some(
          (b) => b.principalName === a.principalName && b.principalType === a.principalType,
        ),
    ).length,
    outcomesNamingIt: exempt.filter((a) =>
      cascadeLetters.some((letter) => letter.includes(a.policyName) && letter.includes(a.principalName)),
    ).length,
  };
  await store.clear();

  // STS key rotation: Alibaba detaches of one account, signed by four instance keys, one breaker budget.
  const rotated = remediable.filter((c) => c.target.kind === 'alibaba-attachment').slice(0, input.requests);
  const rotation = new SoakQueue();
  for (const c of rotated)
    rotation.send({
      caseIndex: c.index,
      messageId: `sts-${c.messageId}`,
      cloud: c.cloud,
      route: c.route,
      body: JSON.stringify({ ...c.request, eventId: `sts-${c.request.eventId}` }),
    });
  const keys = ['w0', 'w1', 'w2', 'w3'];
  before = await mutating();
  await input.pass('sts-rotation', rotation, keys, rules('breaker', input.breaker));
  const rotationLetters = await store.listDeadLetters(1_000_000);
  const rotationFacts = {
    requests: rotated.length,
    keys: keys.length,
    breaker: input.breaker,
    mutatingCalls: (await mutating()) - before,
    circuitOpen: rotationLetters.filter((l) => (l.record as { reason?: string }).reason === 'circuit-open')
      .length,
  };

  // Concurrent redrives over the circuit-open letters, with the breaker open again.
  await admin('DELETE', 'calls');
  const env = input.cliEnv(open);
  await Promise.all([redriveAll(env, 'redrive-a', input.sink), redriveAll(env, 'redrive-b', input.sink)]);
  const { calls } = await admin<{ calls: CallRecord[] }>('GET', 'calls?mutating=true');
  const perTarget = new Map<string, number>();
  for (const call of calls) perTarget.set(callTarget(call), (perTarget.get(callTarget(call)) ?? 0) + 1);
  const redriveFacts = {
    letters: rotationLetters.length,
    mutatingCalls: calls.length,
    targetsCalledTwice: [...perTarget].filter(([, n]) => n > 1).map(([target]) => target),
    stillDeadLettered: (await store.listDeadLetters(1_000_000)).length,
  };
  await store.clear();
  return {
    durationMs: Date.now() - started,
    labels: labelFacts,
    cascade: cascadeFacts,
    rotation: rotationFacts,
    redrive: redriveFacts,
  };
}

/** Another account id of the same format and length: its last six characters replaced by 100001 + i. */
function otherAccount(account: string, i: number): string {
  return `${account.slice(0, -6)}${100_001 + i}`;
}

function redriveAll(env: NodeJS.ProcessEnv, name: string, sink: PassInput['sink']): Promise<void> {
  const child = spawn(process.execPath, ['bin/remediate.js', 'dlq', 'redrive', '--all', '--json'], {
    cwd: ROOT,
    env,
  });
  child.stdin.end();
  child.stdout.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line) sink(name, 'stdout', line);
  });
  child.stderr.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line) sink(name, 'stderr', line);
  });
  return new Promise((done) => child.once('exit', () => done()));
}

/** Violations of the adversarial phases. */
export function judgeAdversarial(a: AdversarialFacts): string[] {
  const violations: string[] = [];
  if (a.labels.mutatingCalls !== 0 || a.labels.invalidInput !== a.labels.requests)
    violations.push(
      `label games: ${a.labels.invalidInput} of ${a.labels.requests} invalid-input, ${a.labels.mutatingCalls} mutating calls`,
    );
  const c = a.cascade;
  if (
    c.requests === 0 ||
    c.mutatingCalls ||
    c.policiesDeleted ||
    c.exemptDetached ||
    c.outcomesNamingIt < c.exemptAttachments
  )
    violations.push(
      `exempt cascade: ${c.requests} requests over ${c.exemptAttachments} exempt attachments, ${c.mutatingCalls} mutating calls, ${c.policiesDeleted} policies deleted, ` +
        `${c.exemptDetached} exempt attachments detached, ${c.outcomesNamingIt} outcomes naming the exempt attachment`,
    );
  if (a.rotation.mutatingCalls > a.rotation.breaker || a.rotation.mutatingCalls === 0)
    violations.push(
      `STS rotation: ${a.rotation.mutatingCalls} mutating calls with ${a.rotation.keys} keys and a breaker of ${a.rotation.breaker}`,
    );
  if (a.redrive.targetsCalledTwice.length > 0 || a.redrive.mutatingCalls > a.redrive.letters)
    violations.push(
      `concurrent redrives: ${a.redrive.mutatingCalls} mutating calls for ${a.redrive.letters} letters; twice: ${a.redrive.targetsCalledTwice.slice(0, 5).join(', ')}`,
    );
  return violations;
}

export function renderAdversarial(a: AdversarialFacts): string[] {
  return [
    `  adversarial         ${Math.round(a.durationMs / 100) / 10} s, faults off, on the world as generated and an emptied store:`,
    `  label games         ${a.labels.requests} requests, each with another account label: ${a.labels.invalidInput} invalid-input, ${a.labels.mutatingCalls} mutating calls`,
    `  exempt cascade      ${a.cascade.requests} cascade deletes, over ${a.cascade.exemptAttachments} exempt attachments: ${a.cascade.mutatingCalls} mutating calls, ` +
      `${a.cascade.policiesDeleted} policies deleted, ${a.cascade.exemptDetached} exempt attachments detached, ` +
      `${a.cascade.outcomesNamingIt} outcomes name the exempt attachment`,
    `  STS key rotation    ${a.rotation.requests} Alibaba requests of one account signed by ${a.rotation.keys} keys, breaker ${a.rotation.breaker}: ` +
      `${a.rotation.mutatingCalls} mutating calls, ${a.rotation.circuitOpen} circuit-open`,
    `  concurrent redrives 2 x redrive --all over ${a.redrive.letters} letters: ${a.redrive.mutatingCalls} mutating calls, ` +
      `${a.redrive.targetsCalledTwice.length} targets called twice, ${a.redrive.stillDeadLettered} letters left`,
  ];
}
