import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * Closes the run with one plain line, "N passed, N failed, N skipped", that CI tooling reads
 * whatever the test runner, and after it why the skipped ones were skipped, grouped by reason:
 * a skipped test is never evidence, and the line says what a machine lacked. Vitest's own
 * summary stays above it.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    const skippedBecause = new Map<string, number>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else if (state === 'skipped') {
          const reason = reasonOf(test);
          skippedBecause.set(reason, (skippedBecause.get(reason) ?? 0) + 1);
        }
      }
    }
    const skipped = [...skippedBecause.values()].reduce((sum, count) => sum + count, 0);
    const reasons = [...skippedBecause]
      .sort((a, b) => b[1] - a[1])
      .map(([reason, count]) => `${count} ${reason}`);
    const because = reasons.length === 0 ? '' : ` (${reasons.join('; ')})`;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped${because}\n`);
  }
}

/** Why a test was skipped: its own note, or the "(skipped: ...)" its name or its suite's carries. */
function reasonOf(test: TestCase): string {
  const result = test.result();
  const note = result.state === 'skipped' ? result.note : undefined;
  if (note !== undefined && note !== '') return `skipped: ${note}`;
  const named = /\(skipped: ([^)]*)\)/.exec(test.fullName)?.[1];
  return named === undefined ? 'skipped without a reason given' : `skipped: ${named}`;
}
