import { describe, expect, it } from 'vitest';
import { readmeCommands } from './readme-commands';

const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body}\n\`\`\`\n`;

describe('how the README test reads README commands', () => {
  it('joins continuation lines, takes bash and sh blocks only, and reads the promised exit code', () => {
    const markdown = [
      '## Try',
      fence(
        'sh',
        'npx remediate apply a/b --x 1 \\\n  --y 2   # dead-lettered: exit 1\n# a comment\n\nnpx remediate dlq list',
      ),
      fence('text', 'npx remediate <command>'),
      fence('yaml', 'version: 1'),
    ].join('\n');
    const commands = readmeCommands(markdown);
    expect(commands.map((c) => [c.section, c.line, c.expectedExit, c.plan.kind])).toEqual([
      ['Try', 3, 1, 'run'],
      ['Try', 7, 0, 'run'],
    ]);
    expect(commands[0]?.text).toBe('npx remediate apply a/b --x 1 \\\n  --y 2   # dead-lettered: exit 1');
  });

  it('reads a here-document as one command with its lines', () => {
    const markdown = fence(
      'bash',
      'cat > f.jsonl <<\'EOF\'\n{"a": 1}\n# not a comment here\nEOF\nnpx remediate run f.jsonl',
    );
    expect(readmeCommands(markdown).map((c) => [c.line, c.text])).toEqual([
      [2, 'cat > f.jsonl <<\'EOF\'\n{"a": 1}\n# not a comment here\nEOF'],
      [6, 'npx remediate run f.jsonl'],
    ]);
  });

  it('skips by what a command runs: cloud tools (and their whole block), installs, the suite', () => {
    const markdown = [
      fence('bash', 'npm ci\nnpx remediate scan --output f.jsonl\nnpm test'),
      fence(
        'bash',
        'cd infra/terraform/x\nterraform apply -var a=b\nexport R=$(terraform output -raw r)\ncd ../.. && s deploy',
      ),
      fence('bash', 'npm run build\nfor d in dist/*/; do cp rules.example.yaml "$d"; done'),
      fence('bash', 'npm start\nremediate sandbox --seed empty\nnpm start -- --once'),
    ].join('\n');
    const plans = readmeCommands(markdown).map((c) => [
      c.text.split('\n')[0],
      c.plan.kind,
      'done' in c.plan && c.plan.done,
    ]);
    expect(plans).toEqual([
      ['npm ci', 'skip', true],
      ['npx remediate scan --output f.jsonl', 'run', false],
      ['npm test', 'skip', false],
      ['cd infra/terraform/x', 'skip', false],
      ['terraform apply -var a=b', 'skip', false],
      ['export R=$(terraform output -raw r)', 'skip', false],
      ['cd ../.. && s deploy', 'skip', false],
      ['npm run build', 'skip', false],
      ['for d in dist/*/; do cp rules.example.yaml "$d"; done', 'skip', false],
      ['npm start', 'serve', false],
      ['remediate sandbox --seed empty', 'serve', false],
      ['npm start -- --once', 'run', false],
    ]);
  });
});
