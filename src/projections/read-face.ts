import type { Quarter } from '../events/catalogue/index.ts';
import type { RecordedEvent } from '../events/envelope.ts';
import type { CredentialStore } from '../events/store/credentials.ts';
import type { CheckpointLog } from '../events/store/evidence/checkpoint-log.ts';
import type { ChainKey } from '../events/store/integrity.ts';
import type { EventStore } from '../events/store/port.ts';
import type { AccessState } from '../rules/access-register.ts';
import { parseSession, secretMatches } from '../rules/credentials.ts';
import type { AccessDirectory, Identity } from './access-directory.ts';
import {
  poolViewFromStreams,
  quarterlyReportAtVersions,
  yearEndStatementAtVersions,
} from './as-at.ts';
import type { AuditEntry, AuditFilter, AuditPage } from './audit-trail.ts';
import { type Verification, verifyLedger } from './ledger-verification.ts';
import { type ProjectionRunner, ReadModelHaltedError } from './projection-runner.ts';
import { type AwaitingDecision, awaitingDecision } from './reports/awaiting-decision.ts';
import { type Balances, poolBalances } from './reports/balances.ts';
import { type IbcfSplit, ibcfSplit } from './reports/ibcf-split.ts';
import { type NhsEnglandExtract, nhsEnglandExtract } from './reports/nhs-england-extract.ts';
import { type PoolSummary, poolSummary } from './reports/pool-summary.ts';
import { type QuarterlyReport, quarterlyReport } from './reports/quarterly-position.ts';
import { type RollUp, rollUp } from './reports/roll-up.ts';
import { type SavingsReport, savingsReport } from './reports/savings.ts';
import { type YearEndStatement, yearEndDigest, yearEndStatement } from './reports/year-end.ts';
import { own } from './view/amounts.ts';
import type { PoolView } from './view/pool-view.ts';

/**
 * The one way in for queries, whatever the edge: the pools a caller may see, each report of a
 * pool-year (live, or as the ledger knew it at a moment), the audit trail, the users, the
 * verification of the log. Live answers come from the read model, brought up to date first;
 * answers as at a moment are folded from the streams by the same code.
 */
export class ReadFace {
  readonly #dependencies: ReadFaceDependencies;
  /**
   * Live reports as computed, per pool view and report, with the stream versions they were
   * computed at: a report is a function of its pool's view alone, so while the pool's stream and
   * its years' ledgers stand where they stood, the same answer is given again without computing
   * it. A rebuilt read model has new views, and so no cached reports.
   */
  readonly #reports = new WeakMap<PoolView, Map<string, { stamp: string; value: unknown }>>();

  constructor(dependencies: ReadFaceDependencies) {
    this.#dependencies = dependencies;
  }

  /** A report of a pool-year, now or as the ledger knew it at a moment; or why there is none. */
  async report<Kind extends ReportKind>(query: ReportQuery<Kind>): Promise<Found<Reports[Kind]>> {
    if (query.kind === 'quarter' && query.quarter === undefined)
      return { found: false, detail: 'a quarterly position needs its quarter, Q1 to Q4' };
    const view = await this.#viewOf(query.poolId, query.asAt);
    const when = query.asAt === undefined ? '' : ` as at ${query.asAt}`;
    if (view?.registration === null || view === undefined)
      return { found: false, detail: `no pool "${query.poolId}"${when}` };
    const year = own(view.years, query.year);
    const missingYear = `pool "${query.poolId}" has no financial year ${query.year}${when}`;
    if (year?.referenceData === null || year === undefined)
      return { found: false, detail: missingYear };
    const value = (
      query.asAt === undefined ? this.#cachedReport(view, query) : REPORTS[query.kind](view, query)
    ) as Reports[Kind] | undefined;
    if (value === undefined) return { found: false, detail: missingYear };
    return { found: true, value, poolVersion: view.poolVersion, ledgerVersion: year.ledgerVersion };
  }

  /** A pool's registration, partners, schemes, terms and years. */
  async pool(poolId: string, asAt?: string): Promise<Found<PoolSummary>> {
    const view = await this.#viewOf(poolId, asAt);
    const summary = view === undefined ? undefined : poolSummary(view);
    if (view === undefined || summary === undefined) {
      const when = asAt === undefined ? '' : ` as at ${asAt}`;
      return { found: false, detail: `no pool "${poolId}"${when}` };
    }
    return { found: true, value: summary, poolVersion: view.poolVersion, ledgerVersion: 0 };
  }

  /** The pools in the scope, by id; as at a moment, those registered by then. */
  async pools(scope: '*' | readonly string[], asAt?: string) {
    const readModel = this.#dependencies.readModel;
    await readModel.catchUp();
    const pools: { poolId: string; name: string }[] = [];
    for (const poolId of readModel.poolIds()) {
      if (scope !== '*' && !scope.includes(poolId)) continue;
      const view = await this.#viewOf(poolId, asAt);
      if (view?.registration != null) pools.push({ poolId, name: view.registration.name });
    }
    return pools;
  }

  /** One year's figures across the pools in the scope: by pool, by region and for England. */
  async rollUp(scope: '*' | readonly string[], year: string, region?: string): Promise<RollUp> {
    const readModel = this.#dependencies.readModel;
    await readModel.catchUp();
    const views = [];
    for (const poolId of readModel.poolIds()) {
      if (scope !== '*' && !scope.includes(poolId)) continue;
      const view = await this.#viewOf(poolId, undefined);
      if (view?.registration != null) views.push(view);
    }
    return rollUp(views, year, region);
  }

  async auditTrail(filter: AuditFilter): Promise<AuditPage> {
    await this.#dependencies.readModel.catchUp();
    return this.#dependencies.readModel.auditTrail(filter);
  }

  /** The users and tokens, now or as they were at a moment. */
  users(asAt?: string): Promise<AccessState> {
    const access = this.#dependencies.access;
    return asAt === undefined ? access.current() : access.asAt(asAt);
  }

  /** The identity a bearer token proves, or undefined for a token that proves none. */
  authenticate(bearer: string): Promise<Identity | undefined> {
    return this.#dependencies.access.authenticate(bearer);
  }

  /**
   * The person a session cookie proves, while the session has been used within `idleMs` and
   * its person is still active; the session's last use is moved on.
   */
  async session(cookie: string, idleMs: number): Promise<SessionCheck> {
    const { credentials, clock = () => new Date() } = this.#dependencies;
    const parsed = parseSession(cookie);
    if (credentials === undefined || parsed === undefined) return { kind: 'none' };
    const session = await credentials.session(parsed.sessionId);
    if (session === undefined || !secretMatches(parsed.secret, session.secretHash))
      return { kind: 'none' };
    const now = clock();
    if (Date.parse(session.lastSeenAt) + idleMs <= now.getTime())
      return { kind: 'idle', sessionId: session.sessionId, userId: session.userId };
    const user = (await this.#dependencies.access.current()).users.get(session.userId);
    if (user === undefined || !user.active) return { kind: 'none' };
    await credentials.touchSession(session.sessionId, now.toISOString());
    return {
      kind: 'signed-in',
      sessionId: session.sessionId,
      identity: {
        userId: user.userId,
        role: user.role,
        pools: user.pools,
        tokenId: session.sessionId,
      },
    };
  }

  /** The quarterly position's digest at exact stream versions: what a close signs off. */
  async positionDigest(
    poolId: string,
    year: string,
    quarter: Quarter,
    versions: { readonly poolVersion: number; readonly ledgerVersion: number },
  ): Promise<string | undefined> {
    const report = await quarterlyReportAtVersions(
      this.#dependencies.store,
      poolId,
      year,
      quarter,
      versions,
    );
    return report?.digest;
  }

  /** The digest of a year's end-of-year statement at exact versions: what a year close signs. */
  async yearEndDigest(
    poolId: string,
    year: string,
    versions: { readonly poolVersion: number; readonly ledgerVersion: number },
  ): Promise<string | undefined> {
    const statement = await yearEndStatementAtVersions(
      this.#dependencies.store,
      poolId,
      year,
      versions,
    );
    return statement === undefined ? undefined : yearEndDigest(statement);
  }

  /**
   * The stored history checked end to end (see ledger-verification.ts), and the read model against
   * a fresh fold unless `logOnly`: the read model is derived and rebuilds itself, so a server that
   * verifies its log at start leaves it out.
   */
  /** One event of the log, with its hash and the previous one: what an auditor inspects. */
  async event(position: number): Promise<RecordedEvent | undefined> {
    const page = await this.#dependencies.store.readAll(position, { limit: 1 });
    const event = page.events[0];
    return event?.globalPosition === position ? event : undefined;
  }

  /**
   * What a form of a pool (and year) offers to choose from: its partners, the schemes not
   * withdrawn, and the year's funding streams and metrics from its reference data.
   */
  async choices(poolId: string, year?: string): Promise<Choices | undefined> {
    const view = await this.#viewOf(poolId);
    if (view?.registration == null) return undefined;
    const referenceData =
      year === undefined ? null : (own(view.years, year)?.referenceData ?? null);
    return {
      poolName: view.registration.name,
      partners: view.partners.map(({ partnerId, name }) => ({ partnerId, name })),
      schemes: Object.entries(view.schemes)
        .filter(([, scheme]) => !scheme.withdrawn)
        .map(([schemeId, scheme]) => ({ schemeId, name: scheme.name }))
        .sort((a, b) => a.schemeId.localeCompare(b.schemeId, 'en', { numeric: true })),
      fundingStreams: referenceData?.fundingStreams.map((stream) => stream.name) ?? [],
      metrics: referenceData?.metrics?.map(({ metricId, name }) => ({ metricId, name })) ?? [],
      years: Object.keys(view.years).sort(),
    };
  }

  /** How many events a stream holds now: the version a form is filled in against. */
  streamVersion(streamId: string): Promise<number> {
    return this.#dependencies.store.streamVersion(streamId);
  }

  /** What was recorded on a stream after a version, oldest first: why a form went stale. */
  changesSince(streamId: string, version: number, limit = 5): Promise<RecordedEvent[]> {
    return this.#dependencies.store.readStream(streamId, { fromVersion: version + 1, limit });
  }

  /** What waits for the CFO group's decision in the pools of a scope, oldest first per pool. */
  async awaitingDecision(scope: '*' | readonly string[]): Promise<AwaitingDecision[]> {
    const waiting: AwaitingDecision[] = [];
    for (const { poolId } of await this.pools(scope)) {
      const view = await this.#viewOf(poolId);
      if (view !== undefined) waiting.push(...awaitingDecision(view));
    }
    return waiting;
  }

  verify(options: { readonly logOnly?: boolean } = {}): Promise<Verification> {
    const { store, densePositions, checkpoints, readModel, chainKey } = this.#dependencies;
    return verifyLedger(store, {
      densePositions,
      checkpoints,
      ...(options.logOnly === true ? {} : { readModel }),
      ...(chainKey === undefined ? {} : { chainKey }),
    });
  }

  /** Why the reports are stopped, in a sentence, if they are. */
  halted(): string | undefined {
    const halt = this.#dependencies.readModel.halted;
    return halt === undefined ? undefined : new ReadModelHaltedError(halt).message;
  }

  /** How far the read model is behind the log, counted up to `atMost + 1` events. */
  behind(atMost: number) {
    return this.#dependencies.readModel.behind(atMost);
  }

  #cachedReport(view: PoolView, query: ReportQuery): unknown {
    const stamp = versionsOf(view);
    const key = `${query.kind}|${query.year}|${query.quarter ?? ''}`;
    let cached = this.#reports.get(view);
    if (cached === undefined) {
      cached = new Map();
      this.#reports.set(view, cached);
    }
    const hit = cached.get(key);
    if (hit?.stamp === stamp) return hit.value;
    const value = REPORTS[query.kind](view, query);
    cached.set(key, { stamp, value });
    return value;
  }

  async #viewOf(poolId: string, asAt?: string): Promise<PoolView | undefined> {
    const { store, readModel } = this.#dependencies;
    if (asAt !== undefined) return poolViewFromStreams(store, poolId, { asAt });
    await readModel.catchUp();
    return readModel.poolView(poolId);
  }
}

export interface ReadFaceDependencies {
  readonly store: EventStore;
  readonly readModel: ProjectionRunner;
  readonly access: AccessDirectory;
  /** The signed checkpoints verification holds the log to. */
  readonly checkpoints: CheckpointLog;
  /** The key the store's hash chain is made with, for verification; none for an unkeyed chain. */
  readonly chainKey: ChainKey;
  /** Whether the store numbers positions 1, 2, 3... (verification checks for gaps then). */
  readonly densePositions: boolean;
  /** People's sessions, for the pages; without it, no session proves anyone. */
  readonly credentials?: CredentialStore;
  readonly clock?: () => Date;
}

/** What a pool's forms offer to choose from. */
export interface Choices {
  readonly poolName: string;
  readonly partners: readonly { partnerId: string; name: string }[];
  readonly schemes: readonly { schemeId: string; name: string }[];
  readonly fundingStreams: readonly string[];
  readonly metrics: readonly { metricId: string; name: string }[];
  readonly years: readonly string[];
}

/** What a session cookie proves: a person, a session past its idle timeout, or nothing. */
export type SessionCheck =
  | { readonly kind: 'signed-in'; readonly identity: Identity; readonly sessionId: string }
  | { readonly kind: 'idle'; readonly sessionId: string; readonly userId: string }
  | { readonly kind: 'none' };

/** Every report of a pool-year, by the name the edges use for it. */
export interface Reports {
  balances: Balances;
  quarter: QuarterlyReport;
  'year-end': YearEndStatement;
  extract: NhsEnglandExtract;
  ibcf: IbcfSplit;
  savings: SavingsReport;
}

export type { AwaitingDecision } from './reports/awaiting-decision.ts';

export type ReportKind = keyof Reports;
export const REPORT_KINDS = [
  'balances',
  'quarter',
  'year-end',
  'extract',
  'ibcf',
  'savings',
] as const;

export interface ReportQuery<Kind extends ReportKind = ReportKind> {
  readonly kind: Kind;
  readonly poolId: string;
  readonly year: string;
  /** The quarter, for the quarterly position. */
  readonly quarter?: Quarter;
  /** What the ledger knew at this moment (recorded time, UTC); absent: now. */
  readonly asAt?: string;
}

/** A report, or why there is none. The versions say what the report reflects (an ETag). */
export type Found<Value> =
  | {
      readonly found: true;
      readonly value: Value;
      readonly poolVersion: number;
      readonly ledgerVersion: number;
    }
  | { readonly found: false; readonly detail: string };

/** The versions a pool view reflects: its pool stream's, and each of its years' ledgers. */
function versionsOf(view: PoolView): string {
  let stamp = `${view.poolVersion}`;
  for (const [year, figures] of Object.entries(view.years))
    stamp += `|${year}:${figures.ledgerVersion}`;
  return stamp;
}

const REPORTS: {
  [Kind in ReportKind]: (view: PoolView, query: ReportQuery) => Reports[Kind] | undefined;
} = {
  balances: (view, query) => poolBalances(view, query.year),
  quarter: (view, query) => quarterlyReport(view, query.year, query.quarter ?? 'Q1'),
  'year-end': (view, query) => yearEndStatement(view, query.year),
  extract: (view, query) => nhsEnglandExtract(view, query.year),
  ibcf: (view, query) => ibcfSplit(view, query.year),
  savings: (view, query) => savingsReport(view, query.year),
};

export type {
  AuditEntry,
  AuditFilter,
  AuditPage,
  Balances,
  IbcfSplit,
  Identity,
  NhsEnglandExtract,
  PoolSummary,
  QuarterlyReport,
  RollUp,
  SavingsReport,
  Verification,
  YearEndStatement,
};
export { ReadModelHaltedError };
