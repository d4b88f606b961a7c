import { UsageError } from './errors';

/** A port flag's value; 0 lets the system pick a free one. */
export function portOption(flag: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new UsageError(`${flag}: must be an integer from 0 to 65535, got '${value}'`);
  }
  return port;
}
