import { SingleBar } from 'cli-progress';

export interface Progress {
  increment(status: string): void;
  stop(): void;
}

const NONE: Progress = { increment: () => {}, stop: () => {} };

/** A progress bar on stderr when it is a terminal; nothing when piped, in CI, or with --json. */
export function progressBar(total: number, quiet: boolean): Progress {
  if (quiet || !process.stderr.isTTY || total === 0) return NONE;
  const bar = new SingleBar({
    format: 'remediate [{bar}] {value}/{total} {last}',
    stream: process.stderr,
    hideCursor: true,
  });
  bar.start(total, 0, { last: '' });
  return {
    increment: (status) => bar.increment(1, { last: status }),
    stop: () => bar.stop(),
  };
}
