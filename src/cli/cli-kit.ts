import type { LedgerConfig } from '../config.ts';
import { type Ledger, openLedger } from '../main.ts';

/**
 * What the commands of bcf-ledger share: exit codes scripts can rely on, the usage error, opening
 * the ledger for one command, and printing that a terminal cannot be fooled by.
 */
export const EXIT = { ok: 0, problemFound: 1, usage: 2, failure: 3 } as const;

/** The command was used wrongly: exit status 2, with this one-line message. */
export class UsageError extends Error {}

/** The operator at the command line, as the events record them. */
export const OPERATOR = { id: 'cli', role: 'admin' } as const;

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

export function print(text: string): void {
  process.stdout.write(text);
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
