import { writeSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import pino from 'pino';
import { logger } from '../shared/logger';

export interface Progress {
  increment(status: string): void;
  stop(): void;
}

const NONE: Progress = { increment: () => {}, stop: () => {} };

/**
 * A progress bar on stderr when it is a terminal; nothing when piped, in CI, or with --json. Log lines
 * still go to stderr, one whole JSON object a line: while the bar is drawn, each one clears the bar's line,
 * is written at once, and the bar is drawn again below it, so the two never share a line.
 */
export function progressBar(total: number, quiet: boolean): Progress {
  if (quiet || !process.stderr.isTTY || total === 0) return NONE;
  const bar = new SingleBar({
    format: 'remediate [{bar}] {value}/{total} {last}',
    stream: process.stderr,
    hideCursor: true,
  });
  // render(true) redraws even when the text did not change (its typings omit the parameter).
  const restoreLog = logsAboveBar(() => (bar as unknown as { render(force: boolean): void }).render(true));
  bar.start(total, 0, { last: '' });
  return {
    increment: (status) => bar.increment(1, { last: status }),
    stop: () => {
      bar.stop();
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
    writeSync(2, `\r\x1b[2K${chunk}`);
    redraw();
    return true;
  };
  return () => {
    stream.write = original;
  };
}
