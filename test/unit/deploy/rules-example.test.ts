// rules.example.yaml: the file the deployment guides copy to rules.yaml, so it must be a valid rules file that
// enforces something on every cloud.
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../shared/config/load-rules';
import { CLOUDS, readText } from './helpers';

describe('rules.example.yaml', () => {
  const text = readText('rules.example.yaml');

  it('is valid against the rules schema', () => {
    expect(() => parseRules(text, 'rules.example.yaml')).not.toThrow();
  });

  it('has a rule for every cloud, and exemptions that have not expired', () => {
    const rules = parseRules(text, 'rules.example.yaml');
    for (const cloud of CLOUDS) expect(rules.rules.map((r) => r.provider)).toContain(cloud);
    for (const exemption of rules.exemptions) {
      expect(new Date(String(exemption.expires)).getTime()).toBeGreaterThan(Date.now());
    }
  });

  it('is refused when broken, so the check above can fail', () => {
    expect(() => parseRules(text.replace('provider: huawei', 'provider: azure'), 'x')).toThrow(/provider/);
  });
});
