import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../sandbox/seeds';
import { type Sandbox, startSandbox } from '../../sandbox/server';
import { commandWords, firstLine, type ReadmeCommand, readmeCommands } from './readme-commands';

/**
 * Every shell command of README.md, run as written, in order, in a fresh copy of the repository (the
 * tracked files, node_modules linked from the checkout) as a person following the README in one terminal
 * would: `export` and `cd` carry over from one command to the next. The only change made to a command is
 * the sandbox's address: 127.0.0.1:4600 becomes the test's sandbox (demo seed, a free port), and a server
 * is started on free ports. HOME is a temporary folder, so the default state store is the test's own.
 */
const CHECKOUT = resolve(__dirname, '../..');
const COMMANDS = readmeCommands(readFileSync(join(CHECKOUT, 'README.md'), 'utf8'));
const COMMAND_TIMEOUT_MS = 30_000;

interface Counts {
  mutating: number;
  applied: number;
}

let root: string;
let repo: string;
let session: string;
let baseEnv: NodeJS.ProcessEnv;
let sandbox: Sandbox;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'remediate-readme-'));
  repo = join(root, 'repo');
  session = join(root, 'session');
  copyRepository(CHECKOUT, repo);
  mkdirSync(join(root, 'home'));
  mkdirSync(join(root, 'bin'));
  mkdirSync(session);
  // What `npm link` would put on PATH.
  symlinkSync(join(repo, 'bin', 'remediate.js'), join(root, 'bin', 'remediate'));
  sandbox = await startSandbox({ seed: loadSeed('demo') });
  baseEnv = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) =>
          !/^(ALIBABA_CLOUD_|TENCENTCLOUD_|HUAWEICLOUD_|REMEDIATE_|LOG_LEVEL$|npm_|NODE_OPTIONS$|VITEST)/i.test(
            name,
          ),
      ),
    ),
    HOME: join(root, 'home'),
    PATH: `${join(root, 'bin')}:${process.env.PATH}`,
    NO_COLOR: '1',
  };
});

afterAll(async () => {
  await sandbox?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('README.md commands', () => {
  it('has commands to run', () => {
    expect(COMMANDS.filter((c) => c.plan.kind !== 'skip').length).toBeGreaterThan(0);
  });

  // Commands that need a cloud account, an install or the suite itself are not run; each says why.
  const skipped = COMMANDS.filter((c) => c.plan.kind === 'skip');
  it(`does not run ${skipped.length} commands, each for a stated reason`, () => {
    for (const command of skipped)
      expect(command.plan.kind === 'skip' && command.plan.reason, firstLine(command.text)).toMatch(/\w{3}/);
  });

  for (const command of COMMANDS) {
    const name = `${command.section} (line ${command.line}): ${firstLine(command.text)}`;
    if (command.plan.kind === 'skip') continue;
    it(
      name,
      async () => {
        const before = await counts();
        const text = onTestPorts(command);
        const result =
          command.plan.kind === 'serve' ? await serve(text, command.plan.ready) : await run(text);
        const detail = `$ ${text}\nexit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
        // A server stopped by Ctrl-C ends cleanly: exit 0, or the interrupt itself (a shell would say 130).
        const stopped = command.plan.kind === 'serve' && result.signal === 'SIGINT' ? 0 : result.code;
        expect(stopped, detail).toBe(command.plan.kind === 'serve' ? 0 : command.expectedExit);
        const after = await counts();
        const effect = expectedMutatingCalls(command);
        if (effect !== undefined)
          expect(after.mutating - before.mutating, `mutating calls of\n${detail}`).toBe(effect);
      },
      COMMAND_TIMEOUT_MS + 5_000,
    );
  }
});

/** The tracked (and new, not ignored) files of the checkout, as a fresh clone would have them. */
function copyRepository(from: string, to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: from,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(from, f)));
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(join(from, file), join(to, file));
  }
  symlinkSync(join(from, 'node_modules'), join(to, 'node_modules'));
}

/** The sandbox the README points at (127.0.0.1:4600) is the test's; a server takes free ports. */
function onTestPorts(command: ReadmeCommand): string {
  const host = new URL(sandbox.url).host;
  let text = command.text.replace(/127\.0\.0\.1:4600\b/g, host).replace(/--port[ =]4600\b/g, '--port 0');
  if (command.plan.kind === 'serve' && !/--port\b/.test(text)) {
    const words = commandWords(text);
    const npm = words.some((w) => /^npm (start|run start)\b/.test(w));
    text = npm ? `${text}${/ -- /.test(text) ? '' : ' --'} --port 0 --http-port 0` : `${text} --port 0`;
  }
  return text;
}

/**
 * How many mutating calls the README's words promise: a detach by `apply` makes exactly one; a dry-run and
 * the commands that only read make none. Undefined: the command's own text does not say.
 */
function expectedMutatingCalls(command: ReadmeCommand): number | undefined {
  const words = commandWords(command.text);
  const remediate = words
    .map((w) => /^(?:npx |npm exec )?remediate (.*)$/.exec(w)?.[1])
    .filter((w) => w !== undefined);
  if (remediate.length === 0) return undefined;
  if (/--dry-run\b/.test(command.text)) return 0;
  if (remediate.every((w) => /^(scan|dlq (list|show)|validate|doctor|--help|--version|\S+ --help)\b/.test(w)))
    return 0;
  if (remediate.length === 1 && /^apply\b/.test(remediate[0] ?? '') && command.expectedExit === 0) return 1;
  return undefined;
}

interface Result {
  code: number | null;
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** One bash per command; the exported variables and the directory pass to the next command. */
function script(text: string): string {
  const env = join(session, 'env');
  const cwd = join(session, 'cwd');
  return [
    `[ -f '${env}' ] && . '${env}'`,
    `cd "$(cat '${cwd}' 2>/dev/null || echo '${repo}')"`,
    text,
    'rc=$?',
    `export -p > '${env}'; pwd > '${cwd}'`,
    'exit $rc',
  ].join('\n');
}

function start(text: string): ChildProcess {
  return spawn('bash', ['-c', script(text)], {
    env: baseEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return { stdout: () => stdout, stderr: () => stderr };
}

async function run(text: string): Promise<Result> {
  const child = start(text);
  const output = collect(child);
  const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), COMMAND_TIMEOUT_MS);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}

/** Starts a server, waits for its ready line, then interrupts its process group as Ctrl-C does. */
async function serve(text: string, ready: RegExp): Promise<Result> {
  const child = start(text);
  const output = collect(child);
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const until = Date.now() + COMMAND_TIMEOUT_MS;
  while (!ready.test(output.stdout()) && child.exitCode === null && Date.now() < until)
    await new Promise((r) => setTimeout(r, 100));
  const wasReady = ready.test(output.stdout());
  if (child.exitCode === null) process.kill(-(child.pid as number), wasReady ? 'SIGINT' : 'SIGKILL');
  const [code, signal] = await closed;
  return {
    code: wasReady ? code : -1,
    signal: wasReady ? signal : null,
    stdout: output.stdout(),
    stderr: `${output.stderr()}${wasReady ? '' : `\n(never printed ${ready})`}`,
  };
}

async function counts(): Promise<Counts> {
  const response = await fetch(`${sandbox.url}/_sandbox/calls/count`);
  return (await response.json()) as Counts;
}
