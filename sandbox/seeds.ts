import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { emptyWorld, parseWorld, type World } from './world';

export const BUILT_IN_SEEDS = ['demo', 'empty'] as const;

/** `demo`, `empty`, or the path of a JSON world file; a bad file fails naming the bad field. */
export function loadSeed(seed: string): World {
  if (seed === 'empty') return emptyWorld();
  const path = seed === 'demo' ? join(__dirname, 'seeds', 'demo.json') : seed;
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = parseWorldSafely(input);
  if (!parsed.ok) throw new Error(`${path}: ${parsed.error}`);
  return parsed.world;
}

function parseWorldSafely(input: unknown): { ok: true; world: World } | { ok: false; error: string } {
  try {
    return { ok: true, world: parseWorld(input) };
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    const issue = error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') || '(root)'}: ${issue?.message}` };
  }
}
