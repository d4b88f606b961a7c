import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_ROOT, listFixtures } from './helpers';

/** Every event fixture is parsed by some parser test: each must appear in the FIXTURES list of one of them. */

const TEST_DIR = __dirname;
// The vendor and composite samples the project was given, beside the repository (absent in a bare clone).
const SHARED_FIXTURES = path.resolve(FIXTURE_ROOT, '../../../../shared/fixtures/events');

function listedFixtures(): Map<string, string> {
  const listed = new Map<string, string>();
  for (const file of readdirSync(TEST_DIR).filter(
    (f) => f.endsWith('.test.ts') && f !== 'fixtures.test.ts',
  )) {
    const list =
      /const FIXTURES = \[([\s\S]*?)\];/.exec(readFileSync(path.join(TEST_DIR, file), 'utf8'))?.[1] ?? '';
    for (const [, name] of list.matchAll(/'([^']+)'/g)) if (name) listed.set(name, file);
  }
  return listed;
}

describe('event fixtures', () => {
  const fixtures = listFixtures().filter((name) => name.endsWith('.json'));
  const listed = listedFixtures();

  it('cover all three clouds', () => {
    for (const cloud of ['alibaba', 'tencent', 'huawei'])
      expect(fixtures.some((name) => name.startsWith(`${cloud}/`))).toBe(true);
  });

  it.skipIf(!existsSync(SHARED_FIXTURES))('include every sample of ../shared/fixtures/events', () => {
    const shared = listFixtures(SHARED_FIXTURES).filter((name) => name.endsWith('.json'));
    expect(shared.length).toBeGreaterThan(0);
    for (const name of shared) expect(fixtures, name).toContain(name);
  });

  it.each(fixtures)('%s is in the FIXTURES list of a parser test', (name) => {
    expect(listed.has(name), `${name} is parsed by no test in test/unit/events`).toBe(true);
  });

  it('lists no fixture that does not exist', () => {
    for (const name of listed.keys()) expect(fixtures, name).toContain(name);
  });
});
