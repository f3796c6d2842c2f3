import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * No ledger append may skip the version check: on EventStoreDB, "any" also gives up the
 * guarantee that a retried append is not written twice. The command handler appends with the
 * exact version its decision was based on; this test keeps every other part of the product
 * from appending with 'any' (the store's own code and the tests may use it).
 */
function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('ledger appends', () => {
  it("never use the expected version 'any' outside the event-store adapters", () => {
    const root = join(import.meta.dirname, '../../src');
    const offenders = sources(root)
      .filter((path) => !path.includes(join('events', 'store')))
      .filter((path) => /expectedVersion:\s*'any'/.test(readFileSync(path, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('is checked against real code: both command handlers append with the decided version', () => {
    const read = (file: string) =>
      readFileSync(join(import.meta.dirname, '../../src/commands/handler', file), 'utf8');
    expect(read('command-handler.ts')).toMatch(
      /store\.append\(streamId, events, \{ expectedVersion: version \}\)/,
    );
    const batching = read('batching-command-handler.ts');
    expect(batching).toMatch(/store\.append\(streamId, only, \{ expectedVersion \}\)/);
    expect(batching).toMatch(/store\.appendAll\(streamId, appends, \{ expectedVersion \}\)/);
  });
});
