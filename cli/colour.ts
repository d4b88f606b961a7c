/**
 * Colour for a person's terminal only: never when the stream is not a TTY (a file, a pipe, CI logs) and
 * never when NO_COLOR is set to anything but the empty string (https://no-color.org).
 */
export function colourFor(
  stream: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): Record<'red' | 'green' | 'yellow' | 'dim', (text: string) => string> {
  const on = Boolean(stream.isTTY) && !env.NO_COLOR;
  const paint = (code: number) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { red: paint(31), green: paint(32), yellow: paint(33), dim: paint(2) };
}
