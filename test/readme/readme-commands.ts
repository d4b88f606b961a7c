/**
 * The shell commands of README.md's ```bash / ```sh blocks, each with what the README test does with it.
 * Commands are classified by what they run (their command words), never by their exact text, so a command
 * added to the README later is picked up, run, or skipped with a reason that says why.
 */

export interface ReadmeCommand {
  /** The command as written (continuation lines joined), comments included. */
  text: string;
  /** The README heading it appears under, and its line number, for test names and reports. */
  section: string;
  line: number;
  /** The index of its code block: a skipped command that others depend on skips the rest of its block. */
  block: number;
  /** The exit code the README promises in a trailing comment (`# … exit 1`), else 0. */
  expectedExit: number;
  plan: Plan;
}

export type Plan =
  /** Run it and wait for it to end. */
  | { kind: 'run' }
  /** A server: start it, wait for it to say it is ready, interrupt it as Ctrl-C would; it must exit 0. */
  | { kind: 'serve'; ready: RegExp }
  /** Not run. `done`: what it does is already in place in the test's copy, so the block goes on. */
  | { kind: 'skip'; reason: string; done: boolean };

const FENCE = /^```(\w*)\s*$/;
const SHELL_BLOCKS = new Set(['bash', 'sh', 'shell']);
/** `<<WORD`, `<<'WORD'`, `<<"WORD"`, `<<-WORD`: the word that ends a here-document. */
const HEREDOC = /<<-?\s*(['"]?)(\w+)\1/;

/** Tools that act on a real cloud account. */
const CLOUD_TOOLS = new Set([
  'terraform',
  's',
  'sls',
  'serverless',
  'scf',
  'tccli',
  'aliyun',
  'hcloud',
  'kcloud',
]);

export function readmeCommands(markdown: string): ReadmeCommand[] {
  const lines = markdown.split('\n');
  const commands: ReadmeCommand[] = [];
  let section = '(top)';
  let block = -1;
  let inBlock = false;
  let shell = false;
  let pending: { text: string; line: number; heredocEnd?: string } | undefined;
  lines.forEach((raw, index) => {
    const fence = FENCE.exec(raw);
    if (fence) {
      inBlock = !inBlock;
      shell = inBlock && SHELL_BLOCKS.has(fence[1] ?? '');
      if (shell) block += 1;
      return;
    }
    if (!inBlock) {
      if (raw.startsWith('#')) section = raw.replace(/^#+\s*/, '');
      return;
    }
    if (!shell) return;
    const text = pending ? `${pending.text}\n${raw}` : raw;
    const line = pending?.line ?? index + 1;
    // A here-document (`cat > f <<'EOF'` … `EOF`) is one command with its lines, as a shell reads it.
    const heredocEnd = pending?.heredocEnd ?? HEREDOC.exec(raw)?.[2];
    const heredocEnds = pending?.heredocEnd !== undefined && raw.trim() === heredocEnd;
    if (heredocEnd !== undefined && !heredocEnds) {
      pending = { text, line, heredocEnd };
      return;
    }
    if (/\\\s*$/.test(raw)) {
      pending = { text, line };
      return;
    }
    pending = undefined;
    if (text.trim() === '' || text.trim().startsWith('#')) return;
    // `npm ci && npm start` is two steps a person takes in one line: the install (in place already) and the run.
    for (const step of text.split(/(?<=^npm ci)\s*&&\s*/))
      commands.push({
        text: step,
        section,
        line,
        block,
        expectedExit: expectedExit(step),
        plan: { kind: 'run' },
      });
  });
  return planBlocks(commands);
}

/** A skipped command whose effect is not in place makes the rest of its block depend on a missing step. */
function planBlocks(commands: ReadmeCommand[]): ReadmeCommand[] {
  const cloudBlocks = new Set(commands.filter((c) => needsCloud(c.text)).map((c) => c.block));
  let missing: { block: number; text: string } | undefined;
  return commands.map((command) => {
    let plan = planFor(command.text);
    if (cloudBlocks.has(command.block) && plan.kind !== 'skip') {
      plan = {
        kind: 'skip',
        reason: 'part of a deployment to a real cloud (its block runs terraform or a deploy tool)',
        done: false,
      };
    } else if (missing?.block === command.block && plan.kind !== 'skip') {
      plan = {
        kind: 'skip',
        reason: `follows \`${firstLine(missing.text)}\`, which is skipped`,
        done: false,
      };
    }
    if (plan.kind === 'skip' && !plan.done && missing?.block !== command.block)
      missing = { block: command.block, text: command.text };
    return { ...command, plan };
  });
}

export function planFor(text: string): Plan {
  const words = commandWords(text);
  const has = (pattern: RegExp) => words.some((w) => pattern.test(w));
  if (needsCloud(text))
    return {
      kind: 'skip',
      reason: 'needs a real cloud account (terraform, a deploy tool or a vendor CLI)',
      done: false,
    };
  if (has(/^npm (ci|install|i)\b/))
    return {
      kind: 'skip',
      reason:
        "installs the dependencies: the test's copy links the checkout's node_modules, installed by npm ci",
      done: true,
    };
  if (has(/^npm link\b/))
    return {
      kind: 'skip',
      reason: "changes the machine's global packages: the test puts a `remediate` link on PATH instead",
      done: true,
    };
  if (has(/^npm (test|t)\b|^npm run test\b/))
    return { kind: 'skip', reason: 'the whole suite, of which this README test is a part', done: false };
  if (has(/^npm run (bench|soak)\b/))
    return { kind: 'skip', reason: 'takes minutes; it is its own job', done: false };
  if (has(/^npm run build\b/))
    return {
      kind: 'skip',
      reason: 'builds the nine bundles (about 15 s); test/e2e/bundles.test.ts builds and checks them',
      done: false,
    };
  if (has(/^npm (start|run start)\b/) && !/--once\b/.test(text))
    return { kind: 'serve', ready: /Serving until Ctrl-C/ };
  if (has(/^(npx |npm exec )?remediate sandbox\b/)) return { kind: 'serve', ready: /listening on|"url"/ };
  return { kind: 'run' };
}

function needsCloud(text: string): boolean {
  return commandWords(text).some((w) => CLOUD_TOOLS.has(w.split(' ')[0] ?? ''));
}

/**
 * The simple commands of a command line, each as its words from the command name on (variable assignments
 * in front dropped): split at ;, &&, ||, |, ( and $(. Quotes are respected roughly, which is enough for
 * README examples.
 */
export function commandWords(text: string): string[] {
  const code = text
    .split('\n')
    .map((l) => l.replace(/\\$/, ''))
    .map((l) => stripComment(l))
    .join(' ');
  return code
    .split(/&&|\|\||[;|()]|\$\(|\bdo\b|\bthen\b/)
    .map((part) => part.trim().replace(/^((\w+=("[^"]*"|'[^']*'|\S*))\s+)+/, ''))
    .map((part) => part.replace(/^(export|for|while|if)\b.*/, (m, k: string) => (k === 'export' ? m : '')))
    .filter((part) => part !== '');
}

function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) return line.slice(0, i);
  }
  return line;
}

function expectedExit(text: string): number {
  const last = text.split('\n').at(-1) ?? '';
  const comment = last.slice(stripComment(last).length);
  const match = /\bexit (?:code )?(\d+)/.exec(comment);
  return match ? Number(match[1]) : 0;
}

export function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.replace(/\s*\\$/, text.includes('\n') ? ' …' : '');
}
