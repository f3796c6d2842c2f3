import { z } from 'zod';
import { percentage } from './events/catalogue/vocabulary.ts';

/**
 * The ledger's settings, read from the environment once, with every default visible here.
 */
const whole = (minimum: number, maximum: number) =>
  z.coerce.number().int().min(minimum).max(maximum);

const environmentSchema = z.object({
  LEDGER_DATA_DIR: z
    .string()
    .min(1)
    .default('data')
    .describe('Where the embedded event store, the read model and the stored answers live.'),
  LEDGER_STORE: z
    .enum(['sqlite', 'eventstoredb'])
    .default('sqlite')
    .describe(
      'The event store: the embedded SQLite file, or an EventStoreDB (KurrentDB) server or cluster.',
    ),
  LEDGER_EVENTSTOREDB_URL: z
    .string()
    .min(1)
    .default('esdb://localhost:2113?tls=false')
    .describe('The EventStoreDB connection string, used when LEDGER_STORE is eventstoredb.'),
  LEDGER_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('The address the server listens on.'),
  LEDGER_PORT: whole(0, 65_535).default(3000).describe('The port the server listens on.'),
  LEDGER_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('How much the server logs: one line per request at info.'),
  LEDGER_BODY_LIMIT_BYTES: whole(1_024, 10 * 1_048_576)
    .default(1_048_576)
    .describe('The largest request body accepted; larger ones get 413.'),
  LEDGER_RATE_LIMIT_PER_MINUTE: whole(1, 1_000_000)
    .default(6_000)
    .describe('Requests per caller per minute; beyond it 429 with Retry-After.'),
  LEDGER_REQUEST_TIMEOUT_MS: whole(1_000, 600_000)
    .default(30_000)
    .describe('The longest a request may take, in milliseconds.'),
  LEDGER_KEEP_ALIVE_TIMEOUT_MS: whole(1_000, 600_000)
    .default(5_000)
    .describe('How long an idle connection may stay open, in milliseconds.'),
  LEDGER_READY_MAX_LAG: whole(0, 10_000_000)
    .default(1_000)
    .describe('Readiness fails while the read model is more than this many events behind the log.'),
  LEDGER_RAG_AMBER_ABOVE_PERCENT: percentage
    .default('0.00')
    .describe(
      'A scheme line is amber when its forecast is above budget by more than this percentage of the budget.',
    ),
  LEDGER_RAG_RED_ABOVE_PERCENT: percentage
    .default('5.00')
    .describe('A scheme line is red above this percentage, and once its spend exceeds its budget.'),
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

/**
 * Every setting as a Markdown table (name, default, allowed values, meaning), made from the schema
 * above, so the documentation can never drift from what the ledger reads (docs/settings.md).
 */
export function settingsTable(): string {
  const rows = Object.entries(environmentSchema.shape).map(([name, schema]) => {
    const json = z.toJSONSchema(schema, { io: 'input' }) as {
      default?: unknown;
      enum?: unknown[];
      minimum?: number;
      maximum?: number;
      pattern?: string;
    };
    const allowed =
      json.enum !== undefined
        ? json.enum.map((value) => `\`${String(value)}\``).join(', ')
        : json.minimum !== undefined
          ? `${json.minimum} to ${json.maximum}`
          : json.pattern !== undefined
            ? 'a percentage, 0 to 100'
            : 'text';
    return `| \`${name}\` | \`${String(json.default)}\` | ${allowed} | ${schema.description ?? ''} |`;
  });
  return [
    '# Settings',
    '',
    'The ledger reads these from the environment once, at start (`src/config.ts`). A value that does',
    'not fit stops it at once with a message naming the setting. This table is made from the settings',
    'schema; a test checks that it stays so (`npm run docs:settings` writes it afresh).',
    '',
    '| setting | default | allowed | what it does |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
