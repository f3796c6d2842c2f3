import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import type { LedgerConfig } from '../config.ts';
import { type Ledger, openLedger } from '../main.ts';

/**
 * What the commands of bcf-ledger share: exit codes scripts can rely on, the usage error, opening
 * the ledger for one command, and printing that a terminal cannot be fooled by.
 */
export const EXIT = { ok: 0, problemFound: 1, usage: 2, failure: 3 } as const;

/** The command was used wrongly: exit status 2, with this one-line message. */
export class UsageError extends Error {}

/**
 * The operator at the command line, as the events record them: someone with the ledger's files
 * and keys, so the system itself (who may, for one, add an administrator when none can log in).
 */
export const OPERATOR = { id: 'cli', role: 'system' } as const;

/** Opens the ledger, runs the work on it, and closes it whatever happens. */
export async function withLedger<Result>(
  config: LedgerConfig,
  work: (ledger: Ledger) => Promise<Result>,
): Promise<Result> {
  const ledger = await openLedger(config);
  try {
    return await work(ledger);
  } finally {
    await ledger.close();
  }
}

/** Writes to standard output with every control character made visible (see terminalSafe). */
export function print(text: string): void {
  process.stdout.write(terminalSafe(text));
}

/**
 * Text with control characters (other than tab, line feed and CR LF, which lay out tables and
 * CSV) and bidirectional overrides written as visible escapes such as \u{1b}: a reason or a
 * supplier's name holding ESC, BEL or a lone carriage return must not be able to move the cursor,
 * recolour the terminal or write over text the operator is reading.
 */
export function terminalSafe(text: string): string {
  return text.replace(
    /\r(?!\n)|(?![\t\n\r])[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu,
    (character) => `\\u{${(character.codePointAt(0) ?? 0).toString(16)}}`,
  );
}

/**
 * A commander option parser that checks the value with a schema of the ledger's own, so the
 * command line accepts exactly what the API accepts, and says what is wrong in one line.
 */
export function checkedBy<Value>(schema: z.ZodType<Value>, what: string) {
  return (value: string): Value => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw new InvalidArgumentError(
      `${JSON.stringify(value.slice(0, 60))} is not ${what}: ${parsed.error.issues[0]?.message ?? 'not valid'}`,
    );
  };
}

/** Timings, not money: printed without grouping, so that scripts (bench:rebuild) can read them. */
export const oneDecimal = new Intl.NumberFormat('en-GB', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  useGrouping: false,
});
export const wholeNumber = new Intl.NumberFormat('en-GB', {
  maximumFractionDigits: 0,
  useGrouping: false,
});
