// Just enough HCL reading for the deploy tests: the resource and data blocks of a module and the argument and
// block names used in each (at any depth), with the bodies of jsonencode(…) calls skipped (those are JSON keys
// of a document, not arguments). Terraform itself is not available offline; this stands in for the names.

export interface Block {
  kind: 'resource' | 'data';
  type: string;
  name: string;
  /** Argument and nested block names used inside the block (meta-arguments left out). */
  names: string[];
  body: string;
}

const META = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'content', 'dynamic']);

/** The text without comments (`#`, `//`, outside strings) and with every `jsonencode(...)` body left out. */
function stripped(hcl: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < hcl.length; i++) {
    const c = hcl[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += hcl[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '#' || (c === '/' && hcl[i + 1] === '/')) {
      while (i < hcl.length && hcl[i] !== '\n') i++;
      out += '\n';
      continue;
    }
    if (hcl.startsWith('jsonencode(', i)) {
      let depth = 0;
      let j = i + 'jsonencode'.length;
      for (; j < hcl.length; j++) {
        if (hcl[j] === '(') depth++;
        else if (hcl[j] === ')' && --depth === 0) break;
      }
      out += 'jsonencode()';
      i = j;
      continue;
    }
    if (c === '"') inString = true;
    out += c;
  }
  return out;
}

/** Every `resource "type" "name" { … }` and `data "type" "name" { … }` block of a module file. */
export function blocks(hcl: string): Block[] {
  const text = stripped(hcl);
  const found: Block[] = [];
  for (const match of text.matchAll(/^(resource|data)\s+"([a-z0-9_]+)"\s+"([A-Za-z0-9_-]+)"\s*\{/gm)) {
    const start = (match.index ?? 0) + match[0].length;
    let depth = 1;
    let end = start;
    for (; end < text.length && depth > 0; end++) {
      if (text[end] === '{') depth++;
      else if (text[end] === '}') depth--;
    }
    const body = text.slice(start, end - 1);
    const names = new Set<string>();
    for (const m of body.matchAll(/^\s*([a-z_][a-z0-9_]*)\s*(?:=(?!=)|\{)/gm)) names.add(m[1] as string);
    for (const m of body.matchAll(/^\s*dynamic\s+"([a-z0-9_]+)"/gm)) names.add(m[1] as string);
    found.push({
      kind: match[1] as 'resource' | 'data',
      type: match[2] as string,
      name: match[3] as string,
      names: [...names].filter((n) => !META.has(n)).sort(),
      body,
    });
  }
  return found;
}
