// Writes the JSON schema of the rules file next to its zod schema: `npm run schema`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rulesJsonSchema } from '../shared/config/rules-json-schema';

const path = join(__dirname, '..', 'shared', 'config', 'rules.schema.json');
writeFileSync(path, rulesJsonSchema());
console.log(`wrote ${path}`);
