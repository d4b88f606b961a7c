import * as z from 'zod';
import { rulesFileSchema } from './rules';

/** The rules file's JSON schema (what editors validate YAML with), generated from the zod schema. */
export function rulesJsonSchema(): string {
  const schema = z.toJSONSchema(rulesFileSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'cloud-remediate rules file' }, null, 2)}\n`;
}
