import { z } from 'zod';
import { percentage } from './events/catalogue/vocabulary.ts';

/**
 * The ledger's settings, read from the environment once, with every default visible here.
 */
const whole = (minimum: number, maximum: number) =>
  z.coerce.number().int().min(minimum).max(maximum);

const environmentSchema = z.object({
  /** Where the embedded event store, the read model and the API's records live. */
  LEDGER_DATA_DIR: z.string().min(1).default('data'),
  /** The event store: the embedded SQLite file, or an EventStoreDB (KurrentDB) server or cluster. */
  LEDGER_STORE: z.enum(['sqlite', 'eventstoredb']).default('sqlite'),
  /** The EventStoreDB connection string, used when LEDGER_STORE=eventstoredb. */
  LEDGER_EVENTSTOREDB_URL: z.string().min(1).default('esdb://localhost:2113?tls=false'),
  LEDGER_HOST: z.string().min(1).default('127.0.0.1'),
  LEDGER_PORT: whole(0, 65_535).default(3000),
  LEDGER_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  /** The largest request body accepted; larger ones get 413. */
  LEDGER_BODY_LIMIT_BYTES: whole(1_024, 10 * 1_048_576).default(1_048_576),
  /** Requests per caller per minute; beyond it 429 with Retry-After. */
  LEDGER_RATE_LIMIT_PER_MINUTE: whole(1, 1_000_000).default(6_000),
  /** The longest a request may take, and an idle connection may stay open. */
  LEDGER_REQUEST_TIMEOUT_MS: whole(1_000, 600_000).default(30_000),
  LEDGER_KEEP_ALIVE_TIMEOUT_MS: whole(1_000, 600_000).default(5_000),
  /** Readiness fails while the read model is more than this many events behind the log. */
  LEDGER_READY_MAX_LAG: whole(0, 10_000_000).default(1_000),
  /**
   * RAG of a scheme line: amber when its forecast outturn is above budget by more than this
   * percentage of the budget, red above the second; red too once spend exceeds the budget.
   */
  LEDGER_RAG_AMBER_ABOVE_PERCENT: percentage.default('0.00'),
  LEDGER_RAG_RED_ABOVE_PERCENT: percentage.default('5.00'),
});

/** The names of every setting the ledger reads, for checking files that set them. */
export const ledgerSettingNames: readonly string[] = Object.keys(environmentSchema.shape);

export interface LedgerConfig {
  readonly dataDirectory: string;
  readonly store:
    | { readonly kind: 'sqlite' }
    | { readonly kind: 'eventstoredb'; readonly connectionString: string };
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  readonly limits: {
    readonly bodyLimitBytes: number;
    readonly rateLimitPerMinute: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    /** Audit trail pages: fixed, so that every client pages the same way. */
    readonly auditPageMax: 500;
  };
  readonly readyMaxLag: number;
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
    store:
      settings.LEDGER_STORE === 'sqlite'
        ? { kind: 'sqlite' }
        : { kind: 'eventstoredb', connectionString: settings.LEDGER_EVENTSTOREDB_URL },
    host: settings.LEDGER_HOST,
    port: settings.LEDGER_PORT,
    logLevel: settings.LEDGER_LOG_LEVEL,
    limits: {
      bodyLimitBytes: settings.LEDGER_BODY_LIMIT_BYTES,
      rateLimitPerMinute: settings.LEDGER_RATE_LIMIT_PER_MINUTE,
      requestTimeoutMs: settings.LEDGER_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: settings.LEDGER_KEEP_ALIVE_TIMEOUT_MS,
      auditPageMax: 500,
    },
    readyMaxLag: settings.LEDGER_READY_MAX_LAG,
    ragThresholds: {
      amberAbovePercent: settings.LEDGER_RAG_AMBER_ABOVE_PERCENT,
      redAbovePercent: settings.LEDGER_RAG_RED_ABOVE_PERCENT,
    },
  };
}
