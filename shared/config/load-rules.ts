import { readFileSync } from 'node:fs';
import type * as Yaml from 'yaml';
import type { z } from 'zod';
import { firstIssue } from '../zod-errors';
import { ConfigError } from './environment';
import { EMPTY_RULES, type RulesFile, rulesFileSchema } from './rules';

/**
 * Reads the rules file (YAML, or JSON, which YAML reads too). A bad file fails at start-up with the
 * file, the path of the bad field and the rule it breaks: a typo must never silently disable a rule.
 */
export function loadRules(path: string | undefined): RulesFile {
  if (path === undefined) return EMPTY_RULES;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`rules file ${path}: ${(error as Error).message}`);
  }
  return parseRules(text, path);
}

export function parseRules(text: string, source = 'rules'): RulesFile {
  let input: unknown;
  try {
    input = parseJsonOrYaml(text);
  } catch (error) {
    throw new ConfigError(`${source}: not valid YAML or JSON: ${(error as Error).message}`);
  }
  // Parsed once per container: zod's compiled fast path (built on a first parse) would never pay.
  const parsed = rulesFileSchema.safeParse(input, { jitless: true });
  if (parsed.success) return parsed.data;
  throw new ConfigError(`${source}: ${describeIssue(parsed.error)}`);
}

function describeIssue(error: z.ZodError): string {
  const { field, rule, unknownKeys } = firstIssue(error, '(file)');
  if (unknownKeys)
    return `${field}: unknown field${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.join(', ')}`;
  return `${field}: ${rule}`;
}

/** JSON needs no YAML parser, and a cold function start is shorter without loading one. */
function parseJsonOrYaml(text: string): unknown {
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      // A YAML flow mapping (`{version: 1}`) is not JSON: the YAML parser reads it.
    }
  }
  return (require('yaml') as typeof Yaml).parse(text);
}
