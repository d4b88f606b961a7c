import { describe, expect, it } from 'vitest';
import { csv } from '../../../cli/output';
import { isDone, type LineResult, notDoneReport, summarize, toRecord } from '../../../cli/run/results';
import type { Outcome } from '../../../shared/outcomes';

const outcome = (fields: Partial<Outcome>): Outcome => ({
  status: 'detached',
  operation: 'huawei/detach-agency-policy',
  target: 'agency:a-1 policy:p-1',
  attempts: 1,
  durationMs: 5,
  ...fields,
});
const line = (n: number, fields: Partial<Outcome>): LineResult => {
  const o = outcome(fields);
  return { line: n, status: o.status, outcome: o };
};

describe('bulk run results', () => {
  it('an order naming something that does not exist is not done, and the report names the missing thing', () => {
    const missing = line(4, { status: 'already-compliant', missing: 'agency a-1', attempts: 1 });
    expect(isDone(missing)).toBe(false);
    expect(isDone(line(1, { status: 'already-compliant' }))).toBe(true);
    expect(notDoneReport([line(1, {}), missing])).toEqual([
      '1 line not done:',
      '  line 4: already-compliant, but agency a-1 does not exist  huawei/detach-agency-policy  agency:a-1 policy:p-1',
    ]);
    expect(summarize('r', [line(1, {}), missing], 9)).toMatchObject({ total: 2, notDone: 1 });
  });

  it('a replayed outcome says when it was settled and that no call was made', () => {
    const replayed = line(2, { duplicate: true, settledAt: '2026-01-02T03:04:05.000Z' });
    expect(toRecord(replayed).replayed).toBe('replayed from 2026-01-02T03:04:05.000Z, no call');
    expect(toRecord(line(2, {})).replayed).toBeUndefined();
    expect(summarize('r', [replayed], 1).replayed).toBe(1);
  });

  it('lines that failed or never started are not done, with why', () => {
    const failed: LineResult = { line: 3, status: 'failed', error: 'redis: connection refused' };
    const notStarted: LineResult = { line: 5, status: 'not-started', error: 'the run stopped at line 3' };
    expect(notDoneReport([failed, notStarted])).toEqual([
      '2 lines not done:',
      '  line 3: failed',
      '    redis: connection refused',
      '  line 5: not started',
      '    the run stopped at line 3',
    ]);
  });

  it('CSV quotes cells holding commas, quotes or newlines', () => {
    expect(csv(['a', 'b'], [{ a: 'x,y', b: 'say "hi"\nthere' }, { a: 1 }])).toBe(
      'a,b\r\n"x,y","say ""hi""\nthere"\r\n1,\r\n',
    );
  });
});
