import * as z from 'zod';
import { breakerInput, rulesFileSchema } from './rules';

/** The rules file's JSON schema (what editors validate YAML with), generated from the zod schema. */
export function rulesJsonSchema(): string {
  const schema = z.toJSONSchema(rulesFileSchema, { io: 'input', unrepresentable: 'any' });
  // `breaker` is normalized by a preprocess step, which JSON Schema cannot show: describe what may be written.
  const { $schema: _, ...breaker } = z.toJSONSchema(breakerInput, { io: 'input' });
  (schema.properties as Record<string, unknown>).breaker = breaker;
  return `${JSON.stringify({ ...schema, title: 'cloud-remediate rules file' }, null, 2)}\n`;
}
