import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Which way a test can give the CLI a real terminal: tmux (renders the screen), util-linux `script` (a pty), or none. */
export const TERMINAL: 'tmux' | 'script' | undefined = ['tmux', 'script'].find(
  (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0,
) as 'tmux' | 'script' | undefined;

export interface TerminalRun {
  /** The screen as a person saw it, one string per line (wrapped lines joined, trailing blanks trimmed). */
  screen: string[];
  code: number;
}

/**
 * Runs `remediate ARGS` on a terminal of its own (stdin and stdout a TTY), with only `env` (and PATH),
 * answering `answer` when the screen shows "[y/N]".
 */
export async function runOnTerminal(
  dir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  answer?: string,
): Promise<TerminalRun> {
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const variables = Object.entries({ PATH: process.env.PATH, TERM: 'xterm-256color', ...env })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${quote(String(v))}`);
  const script = join(dir, 'terminal.sh');
  writeFileSync(
    script,
    `cd ${quote(process.cwd())}\nenv -i ${variables.join(' ')} ${quote(process.execPath)} bin/remediate.js ${args.map(quote).join(' ')}\necho "__EXIT=$?"\n`,
  );
  return TERMINAL === 'tmux' ? viaTmux(dir, script, answer) : viaScript(script, answer);
}

async function viaTmux(dir: string, script: string, answer: string | undefined): Promise<TerminalRun> {
  const socket = join(dir, 'tmux.sock');
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 'run', '-x', '250', '-y', '50', `sh ${script}; sleep 300`);
  try {
    let answered = answer === undefined;
    for (let waited = 0; waited < 120_000; waited += 200) {
      const screen = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'run')
        .split('\n')
        .map((l) => l.trimEnd());
      const exit = screen.map((l) => /^__EXIT=(\d+)$/.exec(l)).find(Boolean);
      if (exit) return { screen: screen.filter((l) => !l.startsWith('__EXIT=')), code: Number(exit[1]) };
      if (!answered && screen.some((l) => l.includes('[y/N]'))) {
        tmux('send-keys', '-t', 'run', answer as string, 'Enter');
        answered = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the command did not finish on its terminal within 2 minutes');
  } finally {
    tmux('kill-server');
  }
}

const ANSI_SEQUENCE = new RegExp(`${String.fromCharCode(27)}\\[\\??[0-9;]*[A-Za-z]`, 'g');

/** util-linux `script` gives a pty but no screen: each line shows what follows its last carriage return. */
function viaScript(script: string, answer: string | undefined): Promise<TerminalRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', `sh ${script}`, '/dev/null']);
    let raw = '';
    child.stdout.on('data', (chunk) => {
      raw += chunk;
    });
    child.on('error', reject);
    child.on('close', () => {
      const screen = raw
        .replace(ANSI_SEQUENCE, '')
        .split('\n')
        .map((line) => (line.replace(/\r+$/, '').split('\r').at(-1) ?? '').trimEnd());
      const exit = screen.map((l) => /^__EXIT=(\d+)$/.exec(l)).find(Boolean);
      resolve({ screen: screen.filter((l) => !l.startsWith('__EXIT=')), code: exit ? Number(exit[1]) : -1 });
    });
    child.stdin.end(answer === undefined ? '' : `${answer}\n`);
  });
}
