import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseSync } from 'oxc-parser';
import { describe, expect, it } from 'vitest';

/**
 * No function in src/ is longer than 70 lines, counted from the line its declaration starts on to
 * the line of its closing brace, signature and all: a second count beside Biome's
 * noExcessiveLinesPerFunction (which counts the body), made with a real TypeScript parser.
 */
const MAX_FUNCTION_LINES = 70;
const root = join(import.meta.dirname, '../../src');

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const FUNCTION_NODES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
]);

interface Node {
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

/** Every function-like node of a file with its first and last line. */
function functionsOf(path: string): { line: number; lines: number }[] {
  const text = readFileSync(path, 'utf8');
  const parsed = parseSync(path, text);
  if (parsed.errors.length > 0)
    throw new Error(`${path} does not parse: ${parsed.errors[0]?.message}`);
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const found: { line: number; lines: number }[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as Node;
    if (FUNCTION_NODES.has(node.type)) {
      const line = lineOf(node.start);
      found.push({ line, lines: lineOf(node.end) - line + 1 });
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(parsed.program);
  return found;
}

describe('the size of the code', () => {
  it(`has no function in src/ over ${MAX_FUNCTION_LINES} lines`, () => {
    const files = sources(root);
    const longest = files.flatMap((path) =>
      functionsOf(path)
        .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
        .map((fn) => `${relative(root, path)}:${fn.line} (${fn.lines} lines)`),
    );
    expect(files.length).toBeGreaterThan(50);
    expect(longest).toEqual([]);
  });
});
