import { writeSync } from 'node:fs';
import pino from 'pino';
import { logger } from '../shared/logger';

export interface Progress {
  increment(status: string): void;
  stop(): void;
}

const NONE: Progress = { increment: () => {}, stop: () => {} };
const WIDTH = 30;
const CLEAR_LINE = '\r\x1b[2K';

/**
 * A one-line progress bar on stderr when it is a terminal; nothing when piped, in CI, or with --json.
 * Log lines still go to stderr, one whole JSON object a line: while the bar is drawn each one clears the
 * bar's line, is written at once, and the bar is drawn again below it, so the two never share a line.
 * The bar never moves the cursor up nor turns wrapping off, so what is printed after it stays in place.
 */
export function progressBar(total: number, quiet: boolean): Progress {
  if (quiet || !process.stderr.isTTY || total === 0) return NONE;
  let done = 0;
  let last = '';
  const draw = () => {
    const filled = Math.round((done / total) * WIDTH);
    const text =
      `remediate [${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${done}/${total} ${last}`.trimEnd();
    // One column short of the width: a bar that wrapped could no longer be cleared with one line.
    writeSync(2, `${CLEAR_LINE}${text.slice(0, Math.max(10, (process.stderr.columns || 80) - 1))}`);
  };
  const restoreLog = logsAboveBar(draw);
  draw();
  return {
    increment: (status) => {
      done++;
      last = status;
      draw();
    },
    stop: () => {
      draw();
      writeSync(2, '\n');
      restoreLog();
    },
  };
}

interface LogStream {
  write(chunk: string): boolean;
  flushSync?(): void;
}

/** Sends the log's lines to stderr synchronously, each on a clean line, redrawing the bar after it. */
function logsAboveBar(redraw: () => void): () => void {
  const stream = (logger as unknown as Record<symbol, LogStream | undefined>)[pino.symbols.streamSym];
  if (!stream) return () => {};
  try {
    // Lines buffered before the bar must come out before it.
    stream.flushSync?.();
  } catch {
    // Not open yet: nothing was buffered.
  }
  const original = stream.write;
  stream.write = (chunk: string) => {
    writeSync(2, `${CLEAR_LINE}${chunk}`);
    redraw();
    return true;
  };
  return () => {
    stream.write = original;
  };
}
