import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { InvalidEventError } from '../../../shared/events/types';

/** Fixtures and fuzz inputs shared by the event parser tests. */

export const FIXTURE_ROOT = path.resolve(__dirname, '../../fixtures/events');

export const fixtureText = (name: string): string => readFileSync(path.join(FIXTURE_ROOT, name), 'utf8');
export const fixture = (name: string): unknown => JSON.parse(fixtureText(name));

/** Every file under `root` (the project's fixtures by default), as `cloud/name.json`. */
export function listFixtures(root = FIXTURE_ROOT, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFixtures(root, path.join(dir, entry.name))
      : [path.relative(root, path.join(dir, entry.name)).split(path.sep).join('/')],
  );
}

const AWKWARD_CHARS = [
  ...'\u0000\u0001\u0008\u001b\u001f\u007f\u0085\u00a0\u200b\u2028\u2029\ufeff\ud800\udfff',
  ...'aZ9-_./:@%{}"\\',
  'é',
  '中',
  '😀',
];
const BIG = 'A'.repeat(300_000);
// Issue 11: JSON nested 100,000 deep and 12 MB of base64-looking text once threw RangeErrors out of the parsers.
const DEEP = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
const HUGE_BASE64 = 'QUFB'.repeat(3 * 1024 * 1024);

/** Strings a hostile or broken sender may put anywhere: unicode, controls, lone surrogates, oversized. */
export const awkwardString = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom(...AWKWARD_CHARS), minLength: 1 }),
  fc.constantFrom(BIG, `${BIG}\u0000`, '9'.repeat(400), '__proto__', 'constructor', 'toString', '', ' '),
  fc.constantFrom(DEEP, HUGE_BASE64),
);

/** Any value where a field should be: wrong types, absent, deep junk. */
export const awkwardValue: fc.Arbitrary<unknown> = fc.oneof(
  awkwardString,
  fc.anything({ withBigInt: true, withNullPrototype: true, withBoxedValues: true, withSparseArray: true }),
  fc.constantFrom(null, undefined, true, 0, -1, 1.5, Number.NaN, 2 ** 64, {}, [], [[]]),
  fc.jsonValue(),
  fc.constant(null).map(() => JSON.parse(DEEP) as unknown),
);

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [
    prefix,
    ...keys.flatMap((key) => pathsOf((value as Record<string, unknown>)[key], [...prefix, key])),
  ];
}

/** `base` with the value at `at` replaced or removed; copies only the path, so any value (deep JSON too) fits. */
function edit(base: unknown, at: Path, value: unknown, remove: boolean): unknown {
  if (at.length === 0) return value;
  if (typeof base !== 'object' || base === null) return base; // an earlier change removed this branch
  const copy = (Array.isArray(base) ? [...base] : { ...base }) as Record<string | number, unknown>;
  const [key, ...rest] = at as [string | number, ...Path];
  if (rest.length > 0) copy[key] = edit(copy[key], rest, value, remove);
  else if (remove) delete copy[key];
  else copy[key] = value;
  return copy;
}

/** A fixture with one to three fields replaced by awkward values or removed. */
export function mutatedFixture(names: readonly string[]): fc.Arbitrary<unknown> {
  return fc.constantFrom(...names).chain((name) => {
    const base = fixture(name);
    const change = fc.tuple(fc.constantFrom(...pathsOf(base)), awkwardValue, fc.boolean());
    return fc
      .array(change, { minLength: 1, maxLength: 3 })
      .map((changes) => changes.reduce((event, [at, value, remove]) => edit(event, at, value, remove), base));
  });
}

/** A fixture's JSON text cut short, as a string or as the Buffer FC would hand over. */
export function truncatedFixture(names: readonly string[]): fc.Arbitrary<unknown> {
  return fc.constantFrom(...names).chain((name) => {
    const text = fixtureText(name);
    return fc
      .tuple(fc.nat({ max: text.length }), fc.boolean())
      .map(([cut, buffer]) => (buffer ? Buffer.from(text.slice(0, cut)) : text.slice(0, cut)));
  });
}

/** Everything the fuzz tests throw at a parser. */
export function fuzzInputs(names: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    awkwardValue,
    fc.json(),
    fc.array(mutatedFixture(names), { maxLength: 3 }),
    mutatedFixture(names),
    truncatedFixture(names),
  );
}

// FUZZ_RUNS=5000 npx vitest run test/unit/events for a longer hunt.
export const FUZZ_RUNS = { numRuns: Number(process.env.FUZZ_RUNS) || 300 };

/** Runs a throwing parser: returns its result, or `undefined` after checking the error is an InvalidEventError. */
export function parsedOrInvalid<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEventError);
    const invalid = error as InvalidEventError;
    expect(invalid.field.length).toBeGreaterThan(0);
    expect(invalid.rule.length).toBeGreaterThan(0);
    return undefined;
  }
}
