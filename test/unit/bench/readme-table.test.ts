import { describe, expect, it } from 'vitest';
import {
  type Results,
  renderReadmeTable,
  replaceReadmeTable,
  TABLE_END,
  TABLE_START,
} from '../../../bench/readme-table';
import { formatTable, verdict } from '../../../bench/table';

const results: Results = {
  date: '2026-12-02T09:00:00.000Z',
  machine: { cores: 2, cpu: 'AMD EPYC', memoryGiB: 24, node: 'v20.20.2', loadAverageAtStart: [1.5, 1, 0.5] },
  durationSeconds: 300,
  results: {
    'cold invoke': [
      {
        name: 'tencent cold invoke bundle / raw SDK script',
        value: 1.3,
        unit: 'ratio',
        goal: '<= 1.05',
        met: false,
      },
      {
        name: 'alibaba cold invoke bundle / raw SDK script',
        value: 0.9,
        unit: 'ratio',
        goal: '<= 1.05',
        met: true,
      },
      { name: 'raw | script, ms', value: 51.2, unit: 'ms' },
    ],
    scan: [{ name: 'alibaba: attachments listed per second', value: 42_000, unit: '/s', goal: 'reported' }],
  },
};

describe('bench verdicts', () => {
  it('prints met, NOT met, reported, or nothing for a plain figure', () => {
    const rows = Object.values(results.results).flat();
    expect(rows.map(verdict)).toEqual(['NOT met', 'met', '', 'reported']);
    const printed = formatTable(rows).split('\n');
    expect(printed[0]).toMatch(/1\.300 ratio +<= 1\.05 NOT met$/);
    expect(printed[1]).toMatch(/0\.900 ratio +<= 1\.05 met$/);
    expect(printed[3]).toMatch(/42000 \/s +reported$/);
  });
});

describe('README benchmark table', () => {
  it('lists every goal row with its verdict, the other figures apart, with the machine and its load', () => {
    const table = renderReadmeTable(results);
    expect(table).toContain('2 cores AMD EPYC, 24 GiB, node v20.20.2, load average 1.5 1 0.5 at the start');
    expect(table).toContain(
      '| cold invoke | tencent cold invoke bundle / raw SDK script | 1.300 ratio | <= 1.05 | **NOT met** |',
    );
    expect(table).toContain(
      '| cold invoke | alibaba cold invoke bundle / raw SDK script | 0.900 ratio | <= 1.05 | met |',
    );
    expect(table).toContain('| scan | alibaba: attachments listed per second | 42000 /s | — | reported |');
    // A pipe in a name cannot break the Markdown table.
    expect(table).toContain('| cold invoke | raw \\| script, ms | 51 ms |');
  });

  it('replaces only the text between the markers, and again on the next run', () => {
    const readme = `# Title\n\n## Benchmarks\n\nprose\n\n${TABLE_START}\nold table\n${TABLE_END}\n\n## Next\n`;
    const once = replaceReadmeTable(readme, 'table one');
    expect(once).toBe(
      `# Title\n\n## Benchmarks\n\nprose\n\n${TABLE_START}\ntable one\n${TABLE_END}\n\n## Next\n`,
    );
    expect(replaceReadmeTable(once, 'table two')).toBe(once.replace('table one', 'table two'));
  });

  it('refuses a README without the markers instead of appending somewhere', () => {
    expect(() => replaceReadmeTable('# Title\n', 'table')).toThrow(/markers/);
  });
});
