import { readFileSync } from 'node:fs';
import { parseRequest, type RemediationRequest } from '../../shared/requests';
import { UsageError } from '../errors';

/** One non-empty line of a bulk file, validated before anything is called. */
export type InputLine =
  | { number: number; text: string; ok: true; request: RemediationRequest }
  /** `input` is what the line held (`{ invalidJson }` when it was not JSON), kept for the dead letter. */
  | { number: number; text: string; ok: false; input: unknown; field: string; rule: string };

export type InvalidLine = Extract<InputLine, { ok: false }>;

/**
 * Reads a JSON-lines file (or stdin for `-`) and validates every line. A JSON array is refused as a whole:
 * it is a common mistake, and treating each of its lines as a request would only produce noise.
 */
export function readInput(file: string): InputLine[] {
  let content: string;
  try {
    content = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  if (isJsonArray(content)) {
    throw new UsageError(
      `${file}: is a JSON array; run reads JSON lines, one request object per line (convert it with: jq -c '.[]' ${file})`,
    );
  }
  return content
    .split('\n')
    .map((raw, i) => ({ text: raw.trim(), number: i + 1 }))
    .filter((line) => line.text !== '')
    .map(({ text, number }) => validateLine(text, number));
}

function validateLine(text: string, number: number): InputLine {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message;
    return {
      number,
      text,
      ok: false,
      input: { invalidJson: text.slice(0, 1_000) },
      field: '(line)',
      rule: `is not valid JSON (${detail})`,
    };
  }
  const parsed = parseRequest(input);
  if (parsed.ok) return { number, text, ok: true, request: parsed.request };
  return { number, text, ok: false, input, field: parsed.field, rule: parsed.rule };
}

function isJsonArray(content: string): boolean {
  if (!content.trimStart().startsWith('[')) return false;
  try {
    return Array.isArray(JSON.parse(content));
  } catch {
    // A line that merely starts with "[" is reported as that line's error.
    return false;
  }
}

/** What `run` refuses a file with: every invalid line with its field and rule. */
export function invalidReport(file: string, invalid: readonly InvalidLine[]): string[] {
  const lines = invalid.length === 1 ? '1 invalid line' : `${invalid.length} invalid lines`;
  return [
    `remediate run: ${file} has ${lines}; nothing was done (fix them, or run the others with --skip-invalid):`,
    ...invalid.map((line) => `  line ${line.number}: ${line.field}: ${line.rule}`),
  ];
}
