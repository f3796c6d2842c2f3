import { isIP } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The ledger's settings, read from the environment once, with every default visible here.
 */
/** An address or a CIDR range: `10.0.0.5`, `10.0.0.0/8`, `fd00::/8`. */
const isAddressOrRange = (entry: string) => {
  const [address = '', bits, ...more] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || more.length > 0) return false;
  return (
    bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128))
  );
};
const trustedProxies = z
  .string()
  .default('')
  .transform((text) =>
    text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  )
  .refine((entries) => entries.every(isAddressOrRange), {
    message: 'list addresses or CIDR ranges, such as "10.0.0.5,10.1.0.0/16"',
  });

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
  LEDGER_SIGNING_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The private key that signs the checkpoints of the log; created on first start. Keep it outside the databases and readable only by the ledger. Default: keys/signing-key.pem in the data directory.',
    ),
  LEDGER_CHAIN_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The secret the events’ hash chain is keyed with; made on first start, never rotated. Keep it outside the databases and readable only by the ledger. Default: keys/chain.key in the data directory.',
    ),
  LEDGER_PUBLIC_KEYS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Every public key the ledger has signed with, by key id, for verifying checkpoints after a rotation. Default: keys/public-keys.json in the data directory.',
    ),
  LEDGER_CHECKPOINT_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Where the signed checkpoints of the log are appended: best on another disk or host than the event store. Default: checkpoints/checkpoints.jsonl in the data directory.',
    ),
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
  LEDGER_SESSION_IDLE_MINUTES: whole(1, 24 * 60)
    .default(30)
    .describe('How long a person signed in to the pages may leave them before being signed out.'),
  LEDGER_SIGN_IN_FAILURES: whole(1, 1_000)
    .default(10)
    .describe(
      'Wrong passwords allowed per user name in 15 minutes (ten times as many per address); after them sign-in is refused until the 15 minutes are over.',
    ),
  LEDGER_UPLOAD_LIMIT_BYTES: whole(1_024, 512 * 1_048_576)
    .default(64 * 1_048_576)
    .describe(
      'The largest spend-file upload accepted (its JSON body, the file base64-encoded); larger ones get 413.',
    ),
  LEDGER_RATE_LIMIT_PER_MINUTE: whole(1, 1_000_000)
    .default(6_000)
    .describe('Requests per token or session per minute; beyond it 429 with Retry-After.'),
  LEDGER_ADDRESS_RATE_LIMIT_PER_MINUTE: whole(1, 10_000_000)
    .default(12_000)
    .describe(
      'Requests per client address per minute, counted before authentication; beyond it 429.',
    ),
  LEDGER_FAILED_AUTHENTICATIONS_PER_MINUTE: whole(1, 1_000)
    .default(10)
    .describe(
      'Failed authentications per client address per minute; after them every request from it is answered 429 until the minute is over.',
    ),
  LEDGER_TRUSTED_PROXIES: trustedProxies.describe(
    'Comma-separated addresses or CIDR ranges of the proxies in front of the ledger, whose X-Forwarded-For names the client (for rate limits and the request log). Empty: the connection’s address is the client’s, and X-Forwarded-For is ignored.',
  ),
  LEDGER_REQUEST_TIMEOUT_MS: whole(1_000, 600_000)
    .default(30_000)
    .describe('The longest a request may take, in milliseconds.'),
  LEDGER_KEEP_ALIVE_TIMEOUT_MS: whole(1_000, 600_000)
    .default(5_000)
    .describe('How long an idle connection may stay open, in milliseconds.'),
  LEDGER_READY_MAX_LAG: whole(0, 10_000_000)
    .default(1_000)
    .describe('Readiness fails while the read model is more than this many events behind the log.'),
});

/** The names of every setting the ledger reads, for checking files that set them. */
export const ledgerSettingNames: readonly string[] = Object.keys(environmentSchema.shape);

export interface LedgerConfig {
  readonly dataDirectory: string;
  /**
   * Tamper evidence's files where a setting names them; the others lie in the data directory
   * (see integrityFiles), so a ledger moved to another data directory takes its own with it.
   */
  readonly integrity: Partial<IntegrityFiles>;
  readonly store:
    | { readonly kind: 'sqlite' }
    | { readonly kind: 'eventstoredb'; readonly connectionString: string };
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  /** The largest upload body: a spend file, base64-encoded, with its mapping. */
  readonly uploadLimitBytes: number;
  /** How long a person's session may be idle before it ends. */
  readonly sessionIdleMinutes: number;
  /** Wrong passwords allowed per user name and per address in 15 minutes. */
  readonly signInFailuresAllowed: number;
  readonly limits: {
    readonly bodyLimitBytes: number;
    readonly rateLimitPerMinute: number;
    readonly addressRateLimitPerMinute: number;
    readonly failedAuthenticationsPerMinute: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    /** Audit trail pages: fixed, so that every client pages the same way. */
    readonly auditPageMax: 500;
  };
  readonly readyMaxLag: number;
  /** The proxies whose X-Forwarded-For is believed; none unless set. */
  readonly trustedProxies: readonly string[];
}

/** The files of tamper evidence: the chain key, the signing key and its public keys, the checkpoints. */
export interface IntegrityFiles {
  readonly chainKeyFile: string;
  readonly privateKeyFile: string;
  readonly publicKeysFile: string;
  readonly checkpointFile: string;
}

/** Tamper evidence's files: those the settings name, the others in the data directory. */
export function integrityFiles(config: LedgerConfig): IntegrityFiles {
  const inData = (...parts: string[]) => join(config.dataDirectory, ...parts);
  return {
    chainKeyFile: config.integrity.chainKeyFile ?? inData('keys', 'chain.key'),
    privateKeyFile: config.integrity.privateKeyFile ?? inData('keys', 'signing-key.pem'),
    publicKeysFile: config.integrity.publicKeysFile ?? inData('keys', 'public-keys.json'),
    checkpointFile: config.integrity.checkpointFile ?? inData('checkpoints', 'checkpoints.jsonl'),
  };
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
  const named = {
    chainKeyFile: settings.LEDGER_CHAIN_KEY_FILE,
    privateKeyFile: settings.LEDGER_SIGNING_KEY_FILE,
    publicKeysFile: settings.LEDGER_PUBLIC_KEYS_FILE,
    checkpointFile: settings.LEDGER_CHECKPOINT_FILE,
  };
  return {
    dataDirectory: settings.LEDGER_DATA_DIR,
    integrity: Object.fromEntries(
      Object.entries(named).filter(([, value]) => value !== undefined),
    ) as Partial<IntegrityFiles>,
    store:
      settings.LEDGER_STORE === 'sqlite'
        ? { kind: 'sqlite' }
        : { kind: 'eventstoredb', connectionString: settings.LEDGER_EVENTSTOREDB_URL },
    host: settings.LEDGER_HOST,
    port: settings.LEDGER_PORT,
    logLevel: settings.LEDGER_LOG_LEVEL,
    uploadLimitBytes: settings.LEDGER_UPLOAD_LIMIT_BYTES,
    sessionIdleMinutes: settings.LEDGER_SESSION_IDLE_MINUTES,
    signInFailuresAllowed: settings.LEDGER_SIGN_IN_FAILURES,
    limits: {
      bodyLimitBytes: settings.LEDGER_BODY_LIMIT_BYTES,
      rateLimitPerMinute: settings.LEDGER_RATE_LIMIT_PER_MINUTE,
      addressRateLimitPerMinute: settings.LEDGER_ADDRESS_RATE_LIMIT_PER_MINUTE,
      failedAuthenticationsPerMinute: settings.LEDGER_FAILED_AUTHENTICATIONS_PER_MINUTE,
      requestTimeoutMs: settings.LEDGER_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: settings.LEDGER_KEEP_ALIVE_TIMEOUT_MS,
      auditPageMax: 500,
    },
    readyMaxLag: settings.LEDGER_READY_MAX_LAG,
    trustedProxies: settings.LEDGER_TRUSTED_PROXIES,
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
    const fallback =
      json.default === undefined
        ? '(see its meaning)'
        : json.default === ''
          ? '(empty)'
          : `\`${String(json.default)}\``;
    return `| \`${name}\` | ${fallback} | ${allowed} | ${schema.description ?? ''} |`;
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
