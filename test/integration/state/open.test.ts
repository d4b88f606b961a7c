import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, defaultStateSpec, readEnvironment } from '../../../shared/config/environment';
import { openStateStore } from '../../../shared/state/open';

const dir = mkdtempSync(join(tmpdir(), 'remediate-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the default state store', () => {
  it("is the user's $HOME/.remediate/state.db, or the working directory's .remediate/ when it exists", () => {
    const home = join(dir, 'home');
    const project = join(dir, 'project');
    mkdirSync(project);
    expect(defaultStateSpec({ HOME: home }, project)).toBe(`sqlite:${join(home, '.remediate', 'state.db')}`);
    mkdirSync(join(project, '.remediate'));
    expect(defaultStateSpec({ HOME: home }, project)).toBe('sqlite:.remediate/state.db');
    expect(readEnvironment({ HOME: home, REMEDIATE_STATE: 'memory' }, project).REMEDIATE_STATE).toBe(
      'memory',
    );
  });
});

describe('openStateStore with a sqlite: path', () => {
  it('refuses a path whose folder does not exist, naming REMEDIATE_STATE, and creates nothing', () => {
    const path = join(dir, 'no-such-folder', 'state.db');
    expect(() => openStateStore(`sqlite:${path}`)).toThrow(ConfigError);
    expect(() => openStateStore(`sqlite:${path}`)).toThrow(
      /^REMEDIATE_STATE: the folder of sqlite:.* does not exist/,
    );
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('creates the folder when asked to (npm start creates its store)', async () => {
    const path = join(dir, 'created', 'state.db');
    const store = openStateStore(`sqlite:${path}`, { createDirectory: true });
    expect(await store.countDeadLetters()).toBe(0);
    await store.close();
    expect(existsSync(path)).toBe(true);
  });

  it('for a command that only reads, refuses a file that does not exist', () => {
    expect(() => openStateStore(`sqlite:${join(dir, 'typo.db')}`, { mustExist: true })).toThrow(
      /^REMEDIATE_STATE: there is no state store at sqlite:.*typo\.db/,
    );
    expect(existsSync(join(dir, 'typo.db'))).toBe(false);
  });
});
