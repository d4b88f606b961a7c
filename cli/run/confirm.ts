import { createInterface } from 'node:readline/promises';

/**
 * A person at a terminal (stdin and stdout both a TTY) is asked before a bulk change; `--yes`, a pipe, CI
 * or a file on stdin are not asked (scripts pass no answer, and would otherwise hang).
 */
export function shouldAsk(yes: boolean | undefined): boolean {
  return !yes && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
}

/** Asks once on `output`; only "y" or "yes" proceeds. */
export async function confirm(question: string, output: NodeJS.WritableStream): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
