import { z } from 'zod';
import { percentage } from './events/catalogue/vocabulary.ts';

/**
 * The ledger's settings, read from the environment once, with every default visible here.
 */
const environmentSchema = z.object({
  /** Where the embedded event store and the read model live. */
  LEDGER_DATA_DIR: z.string().min(1).default('data'),
  /**
   * RAG of a scheme line: amber when its forecast outturn is above budget by more than this
   * percentage of the budget, red above the second; red too once spend exceeds the budget.
   */
  LEDGER_RAG_AMBER_ABOVE_PERCENT: percentage.default('0.00'),
  LEDGER_RAG_RED_ABOVE_PERCENT: percentage.default('5.00'),
});

export interface LedgerConfig {
  readonly dataDirectory: string;
  readonly ragThresholds: { readonly amberAbovePercent: string; readonly redAbovePercent: string };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): LedgerConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new ConfigError(`the ledger's settings are not valid: ${problems}`);
  }
  const settings = parsed.data;
  return {
    dataDirectory: settings.LEDGER_DATA_DIR,
    ragThresholds: {
      amberAbovePercent: settings.LEDGER_RAG_AMBER_ABOVE_PERCENT,
      redAbovePercent: settings.LEDGER_RAG_RED_ABOVE_PERCENT,
    },
  };
}
