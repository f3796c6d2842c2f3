import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { buildApp } from '../../src/api/app.ts';
import type { ApiDependencies } from '../../src/api/route-kit.ts';
import { type LedgerConfig, loadConfig } from '../../src/config.ts';
import { bcfCatalogue, type UserRole } from '../../src/events/catalogue/index.ts';
import type { EventStore } from '../../src/events/store/port.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { SqliteStoredAnswers } from '../../src/events/store/sqlite/sqlite-stored-answers.ts';
import { assembleLedger, type Ledger } from '../../src/main.ts';
import type { ProjectionRunner } from '../../src/projections/projection-runner.ts';
import { referenceData } from '../support/domain.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * The API on a real embedded store in a temporary directory, driven with inject, with a user and
 * token for each role.
 */
export const USERS = {
  admin: { role: 'admin', pools: '*' },
  officer: { role: 'finance-officer', pools: ['herts'] },
  secondOfficer: { role: 'finance-officer', pools: ['herts'] },
  cfo: { role: 'cfo', pools: ['herts'] },
  secondCfo: { role: 'cfo', pools: '*' },
  auditor: { role: 'auditor', pools: '*' },
  outsider: { role: 'cfo', pools: ['elsewhere'] },
  hertsAdmin: { role: 'admin', pools: ['herts'] },
  elsewhereAdmin: { role: 'admin', pools: ['elsewhere'] },
  /** A user id with a colon, as the one that once collided with officer's keys. */
  'officer:x': { role: 'finance-officer', pools: ['herts'] },
} as const satisfies Record<string, { role: UserRole; pools: '*' | string[] }>;
export type UserName = keyof typeof USERS;

export interface Harness {
  /** The temporary directory holding the store, the read model and the stored answers. */
  readonly directory: string;
  readonly app: FastifyInstance;
  readonly store: SqliteEventStore;
  readonly readModel: ProjectionRunner;
  readonly ledger: Ledger;
  readonly deps: ApiDependencies;
  readonly tokens: Record<UserName, string>;
  post(
    url: string,
    body: unknown,
    as: UserName | null,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  get(
    url: string,
    as: UserName | null,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let keys = 0;

export interface HarnessOptions {
  readonly config?: Partial<LedgerConfig>;
  readonly logStream?: Writable;
  /** Change what the API is given, to put a fault or a delay in its way. */
  readonly wrap?: (deps: ApiDependencies) => ApiDependencies;
  /** Change the store the ledger writes to, to hold or fail an append. */
  readonly wrapStore?: (store: EventStore) => EventStore;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const directory = temporaryDirectory('api');
  const store = SqliteEventStore.open({
    path: join(directory.path, 'ledger.sqlite'),
    catalogue: bcfCatalogue,
  });
  const config = { ...loadConfig({ LEDGER_DATA_DIR: directory.path }), ...options.config };
  let now = Date.parse('2017-04-03T09:00:00.000Z');
  const ledger = await assembleLedger({
    config,
    store: options.wrapStore?.(store) ?? store,
    densePositions: true,
    answers: new SqliteStoredAnswers(join(directory.path, 'answers.sqlite')),
    readModelPath: join(directory.path, 'projections.sqlite'),
    clock: () => {
      now += 1_000;
      return new Date(now);
    },
  });
  const logger =
    options.logStream === undefined ? false : pino({ level: 'info' }, options.logStream);
  const plain: ApiDependencies = {
    writeFace: ledger.writeFace,
    readFace: ledger.readFace,
    spendImports: ledger.spendImports,
    authenticate: (bearer) => ledger.access.authenticate(bearer),
    config,
  };
  const deps = options.wrap?.(plain) ?? plain;
  const app = await buildApp(deps, { logger });
  const tokens = await registerUsers(ledger);
  const authorization = (as: UserName | null): Record<string, string> =>
    as === null ? {} : { authorization: `Bearer ${tokens[as]}` };
  return {
    directory: directory.path,
    app,
    store,
    readModel: ledger.readModel,
    ledger,
    deps,
    tokens,
    post: (url, body, as, headers = {}) =>
      app.inject({
        method: 'POST',
        url,
        headers: { 'idempotency-key': `key-${++keys}`, ...authorization(as), ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
    get: (url, as, headers = {}) =>
      app.inject({ method: 'GET', url, headers: { ...authorization(as), ...headers } }),
    async close() {
      await app.close();
      await ledger.close();
      directory.remove();
    },
  };
}

/** A user and a token for each of USERS, registered by the system as the first run would. */
async function registerUsers(ledger: Ledger): Promise<Record<UserName, string>> {
  const tokens = {} as Record<UserName, string>;
  const system = { id: 'system', role: 'system' as const };
  for (const [userId, user] of Object.entries(USERS)) {
    await ledger.writeFace.execute({
      caller: system,
      idempotencyKey: `setup:user:${userId}`,
      command: {
        type: 'RegisterUser',
        userId,
        name: userId,
        role: user.role,
        pools: user.pools === '*' ? '*' : [...user.pools],
      },
    });
    const issued = await ledger.writeFace.execute({
      caller: system,
      idempotencyKey: `setup:token:${userId}`,
      command: { type: 'IssueToken', userId, label: 'test' },
    });
    if (issued.kind !== 'recorded' || issued.token === undefined)
      throw new Error(`no token for ${userId}`);
    tokens[userId as UserName] = issued.token.token;
  }
  return tokens;
}

export const POOL_URL = '/pools/herts';
export const YEAR_URL = '/pools/herts/years/2017-18';

/** A pool set up through the API: partners, the year, three schemes, contributions, budget lines. */
export async function setUpPool(api: Harness): Promise<void> {
  const steps: [string, unknown, UserName][] = [
    [
      '/pools',
      {
        poolId: 'herts',
        name: 'Hertfordshire BCF',
        hwbArea: 'Hertfordshire',
        host: { partnerId: 'HCC', name: 'Hertfordshire County Council', kind: 'Local Authority' },
      },
      'admin',
    ],
    [
      `${POOL_URL}/partners`,
      { partnerId: 'ENHCCG', name: 'East and North Hertfordshire CCG', kind: 'CCG' },
      'admin',
    ],
    [`${POOL_URL}/years`, { year: '2017-18', referenceData }, 'admin'],
    [
      `${POOL_URL}/schemes`,
      scheme('1', 'Specialist Care at Home', 'Personalised support/care at home'),
      'officer',
    ],
    [
      `${POOL_URL}/schemes`,
      scheme('3', 'Discharge to Assess', 'HICM for managing transfer of care'),
      'officer',
    ],
    [
      `${POOL_URL}/schemes`,
      scheme('7', 'Disabled Facilities Grant', 'DFG - Adaptations'),
      'officer',
    ],
    [
      `${YEAR_URL}/contributions`,
      { partnerId: 'ENHCCG', fundingStream: 'Minimum CCG Contribution', amount: '1000000.00' },
      'officer',
    ],
    [
      `${YEAR_URL}/contributions`,
      { partnerId: 'HCC', fundingStream: 'iBCF', amount: '500000.00' },
      'officer',
    ],
    [
      `${YEAR_URL}/contributions`,
      { partnerId: 'HCC', fundingStream: 'DFG', amount: '200000.00' },
      'officer',
    ],
    [
      `${YEAR_URL}/allocations`,
      {
        allocationId: 'a1',
        schemeId: '1',
        fundingStream: 'Minimum CCG Contribution',
        amount: '600000.00',
      },
      'officer',
    ],
    [
      `${YEAR_URL}/allocations`,
      {
        allocationId: 'a2',
        schemeId: '3',
        fundingStream: 'Minimum CCG Contribution',
        amount: '300000.00',
      },
      'officer',
    ],
    [
      `${YEAR_URL}/allocations`,
      { allocationId: 'a3', schemeId: '3', fundingStream: 'iBCF', amount: '400000.00' },
      'officer',
    ],
  ];
  for (const [url, body, as] of steps) {
    const response = await api.post(url, body, as);
    if (response.statusCode >= 300)
      throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  }
}

export function scheme(schemeId: string, name: string, schemeType: string) {
  return {
    schemeId,
    name,
    schemeType,
    description: '',
    areaOfSpend: 'Social Care',
    commissioner: 'Local Authority',
    provider: 'Local Authority',
    newOrExisting: 'Existing',
  };
}

export function spendBody(spendId: string, overrides: Record<string, unknown> = {}) {
  return {
    spendId,
    schemeId: '1',
    fundingStream: 'Minimum CCG Contribution',
    quarter: 'Q1',
    spendDate: '2017-05-02',
    amount: '1250.00',
    supplier: 'Acme Care',
    erpReference: `INV-${spendId}`,
    description: 'homecare',
    ...overrides,
  };
}
