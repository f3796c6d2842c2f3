import { createHash } from 'node:crypto';
import { canonicalJson } from '../events/canonical-json.ts';
import type { ActorRole, EventMetadata } from '../events/envelope.ts';
import type { StoredAnswers } from '../events/store/answers.ts';
import type { CredentialStore } from '../events/store/credentials.ts';
import type { EventStore } from '../events/store/port.ts';
import { newSetupCode, newToken } from '../rules/credentials.ts';
import type { AccessCommand } from './access/access-decider.ts';
import { type BatchRecorded, recordLedgerBatch } from './batch-recording.ts';
import {
  type Aggregate,
  aggregateOf,
  type CommandRouter,
  createCommandRouter,
  type DomainCommand,
  type LedgerCommandInput,
} from './command-router.ts';
import type { DomainError } from './decider.ts';
import { type BatchRefusal, decideInMemory } from './dry-run.ts';
import {
  CommandContentionError,
  type CommandHandlerOptions,
  type CommandOutcome,
} from './handler/command-handler.ts';
import {
  type PeopleDependencies,
  type SetPasswordOutcome,
  type SignInOutcome,
  setPassword,
  setupLinkHolder,
  signIn,
  signOut,
} from './people.ts';
import type { PoolCommand } from './pool/pool-decider.ts';
import { refusal } from './refusals.ts';

export type { BatchCommandOutcome, BatchRecorded } from './batch-recording.ts';
export { mayDo, PERMISSIONS, type Permission, ROLE_PERMISSIONS } from './permissions.ts';
export { REFUSAL_CODES, type RefusalCode } from './refusals.ts';

/**
 * The one way in for commands, whatever the edge (API, pages, command line, imports): who asks,
 * under which idempotency key, for which command. Idempotency is decided here and only here: a
 * key seen before with the same request gets the original outcome again (from the events it
 * recorded, or from the stored answer of a refusal or no-op), with another request it is refused,
 * and while the first is still being decided a second is told so. Token secrets are minted here
 * and quarter closes are computed here, so no edge ever does either.
 */
export class WriteFace {
  readonly #dependencies: WriteFaceDependencies;
  readonly #router: CommandRouter;
  readonly #inFlight = new Set<string>();

  constructor(dependencies: WriteFaceDependencies) {
    this.#dependencies = dependencies;
    this.#router = createCommandRouter(dependencies.store, dependencies.handlerOptions);
  }

  async execute(request: WriteRequest): Promise<WriteOutcome> {
    const scoped = scopedKey(request.caller.id, request.idempotencyKey);
    const digest = request.requestDigest ?? commandDigest(request.command);
    if (this.#inFlight.has(scoped)) return { kind: 'in-flight' };
    // Taken before the first wait: a second request under the key, arriving meanwhile, is told.
    this.#inFlight.add(scoped);
    try {
      const broken = await this.#dependencies.integrity?.broken();
      if (broken !== undefined) return { kind: 'ledger-broken', detail: broken };
      const replay = await findEarlierOutcome(this.#dependencies, scoped, digest);
      if (replay !== undefined) return replay;
      const completed = await completeCommand(request, this.#router, this.#dependencies);
      if ('refusal' in completed) return refused(completed.refusal, false);
      const metadata = metadataFor(request, scoped, digest, this.#dependencies.clock());
      const outcome = await this.#router.route(
        completed.command,
        metadata,
        request.expectedVersion,
      );
      return await this.#settle(outcome, completed, scoped, digest);
    } catch (error) {
      if (error instanceof CommandContentionError)
        return { kind: 'contended', detail: error.message };
      throw error;
    } finally {
      this.#inFlight.delete(scoped);
    }
  }

  /**
   * Decides a batch in memory, as `execute` one by one would, and records nothing: the refusals,
   * by their place in the batch. Requests already recorded or answered under their keys are passed
   * over, as `execute` would replay them.
   */
  async check(caller: Caller, requests: readonly BatchRequest[]): Promise<BatchRefusal[]> {
    const pending: { index: number; command: PoolCommand | LedgerCommandInput }[] = [];
    for (const [index, request] of requests.entries()) {
      const scoped = scopedKey(caller.id, request.idempotencyKey);
      const digest = commandDigest(request.command);
      if ((await findEarlierOutcome(this.#dependencies, scoped, digest)) !== undefined) continue;
      const command = { ...request.command, actor: { id: caller.id, role: caller.role } };
      pending.push({ index, command: command as PoolCommand | LedgerCommandInput });
    }
    const commands = pending.map((entry) => entry.command);
    const refusals = await decideInMemory(this.#dependencies.store, commands);
    return refusals.map((refusal) => ({
      index: pending[refusal.index]?.index ?? refusal.index,
      error: refusal.error,
    }));
  }

  /**
   * Records many ledger commands (an import's invoices) in a few atomic writes, each under its own
   * key as `execute` would record it, without storing answers for them: a command already
   * recorded under its key changes nothing, and the first refused stops the batch before its
   * chunk is written (docs/decisions/0010).
   */
  async recordBatch(
    caller: Caller,
    requests: readonly LedgerBatchRequest[],
    options: { chunkSize?: number; correlationId: string; onCommitted?: (done: number) => void },
  ): Promise<BatchRecorded | { kind: 'ledger-broken'; detail: string }> {
    const broken = await this.#dependencies.integrity?.broken();
    if (broken !== undefined) return { kind: 'ledger-broken', detail: broken };
    const actor = { id: caller.id, role: caller.role };
    const commands = requests.map((request) => ({
      scopedKey: scopedKey(caller.id, request.idempotencyKey),
      digest: commandDigest(request.command),
      command: { ...request.command, actor } as LedgerCommandInput,
    }));
    const credential =
      caller.credentialId === undefined ? {} : { credentialId: caller.credentialId };
    return recordLedgerBatch(this.#dependencies.store, commands, {
      chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
      poolState: async (poolId) => (await this.#router.poolState(poolId)).state,
      metadata: (command) => ({
        actor,
        ...credential,
        recordedAt: this.#dependencies.clock().toISOString(),
        correlationId: options.correlationId.slice(0, 200),
        causationId: options.correlationId.slice(0, 200),
        idempotencyKey: command.scopedKey,
        requestDigest: command.digest,
      }),
      ...(options.onCommitted === undefined ? {} : { onCommitted: options.onCommitted }),
    });
  }

  /** A person chooses a password with a set-up code (docs/decisions/0011). */
  setPassword(code: string, password: string): Promise<SetPasswordOutcome> {
    return setPassword(this.#people(), code, password);
  }

  /** The person a set-up code is for, while it is good. */
  setupLinkHolder(code: string) {
    return setupLinkHolder(this.#people(), code);
  }

  /** A person signs in with a password: a session, recorded as signed in. */
  signIn(userId: string, password: string): Promise<SignInOutcome> {
    return signIn(this.#people(), userId, password);
  }

  signOut(
    session: { sessionId: string; userId: string },
    reason: 'signed-out' | 'idle-timeout',
  ): Promise<void> {
    return signOut(this.#people(), session, reason);
  }

  #people(): PeopleDependencies {
    const credentials = this.#dependencies.credentials;
    if (credentials === undefined)
      throw new Error('this ledger has no credential store for people');
    return {
      credentials,
      clock: this.#dependencies.clock,
      accessState: async () => (await this.#router.accessState()).state,
      record: async (person, key, command) => {
        const outcome = await this.execute({
          caller: { id: person.id, role: person.role },
          idempotencyKey: key,
          command: command as never,
        });
        if (outcome.kind === 'recorded' || outcome.kind === 'unchanged')
          return { ok: true, replayed: outcome.replayed };
        if (outcome.kind === 'refused') return { ok: false, message: outcome.error.message };
        return { ok: false, message: 'the ledger could not record it just now: try again' };
      },
    };
  }

  /** The folded state of a pool's stream: read it, never change it. */
  poolState(poolId: string) {
    return this.#router.poolState(poolId);
  }

  /** The folded state of a pool-year's ledger: read it, never change it. */
  ledgerState(poolId: string, year: string) {
    return this.#router.ledgerState(poolId, year);
  }

  /** The folded state of the access stream: read it, never change it. */
  accessState() {
    return this.#router.accessState();
  }

  /** Refusals and no-ops are stored, so a retry gets them again; unless the key won a race meanwhile. */
  async #settle(
    outcome: CommandOutcome,
    completed: Extract<Completed, { command: DomainCommand }>,
    scoped: string,
    digest: string,
  ): Promise<WriteOutcome> {
    const aggregate = aggregateOf(completed.command);
    if (outcome.ok && outcome.append !== undefined)
      return recordedOutcome(aggregate, outcome, completed.token);
    const raced = await findEarlierOutcome(this.#dependencies, scoped, digest);
    if (raced !== undefined) return raced;
    const answer: StoredOutcome = outcome.ok
      ? {
          kind: 'unchanged',
          aggregate,
          streamId: outcome.streamId,
          streamVersion: outcome.streamVersion,
        }
      : { kind: 'refused', error: outcome.error };
    // A version mismatch says nothing about the request itself: a retry with a fresh version is
    // decided, not replayed.
    if (outcome.ok || outcome.error.code !== 'version-mismatch') {
      const stored = { scopedKey: scoped, requestDigest: digest, outcome: answer };
      await this.#dependencies.answers.save(stored);
    }
    return { ...answer, replayed: false };
  }
}

export interface WriteFaceDependencies {
  readonly store: EventStore;
  readonly answers: StoredAnswers;
  readonly clock: () => Date;
  /** Computes the quarterly position a close signs off: the read side's, injected. */
  readonly closePositions: ClosePositions;
  /** Whether the stored history has been found altered: writes wait until it is acknowledged. */
  readonly integrity?: { broken(): Promise<string | undefined> };
  /** Where people's password hashes and sessions are kept; without it, nobody signs in. */
  readonly credentials?: CredentialStore;
  readonly handlerOptions?: CommandHandlerOptions;
}

/**
 * The digests a close signs, computed by the read side at exact stream versions: a quarter's
 * position, or a year's end-of-year statement; undefined when there is no such year.
 */
export interface ClosePositions {
  positionDigest(
    poolId: string,
    year: string,
    quarter: 'Q1' | 'Q2' | 'Q3' | 'Q4',
    versions: { readonly poolVersion: number; readonly ledgerVersion: number },
  ): Promise<string | undefined>;
  yearEndDigest(
    poolId: string,
    year: string,
    versions: { readonly poolVersion: number; readonly ledgerVersion: number },
  ): Promise<string | undefined>;
}

/** Commands per atomic write of a batch: large enough to be fast, small enough to redo. */
const DEFAULT_CHUNK_SIZE = 2_000;

/** One ledger command of a batch to record, with its key. */
export interface LedgerBatchRequest {
  readonly idempotencyKey: string;
  readonly command: WithoutActor<LedgerCommandInput>;
}

/** One command of a batch with its key, for `check`: pool and ledger commands only. */
export interface BatchRequest {
  readonly idempotencyKey: string;
  readonly command: WithoutActor<PoolCommand> | WithoutActor<LedgerCommandInput>;
}

/** Who is asking: a person or machine the edge has authenticated, or the system itself. */
export interface Caller {
  readonly id: string;
  readonly role: ActorRole;
  /** The token or session the caller proved who they are with: recorded with the events. */
  readonly credentialId?: string;
}

type WithoutActor<Command> = Command extends unknown ? Omit<Command, 'actor'> : never;
type CloseCommandType =
  | 'RequestQuarterClose'
  | 'ApproveQuarterClose'
  | 'RequestYearClose'
  | 'ApproveYearClose';

/** A quarter or year close as an edge asks for it: the write face computes what is signed off. */
export type CloseInput =
  | {
      readonly type: 'RequestQuarterClose' | 'ApproveQuarterClose';
      readonly poolId: string;
      readonly year: string;
      readonly quarter: 'Q1' | 'Q2' | 'Q3' | 'Q4';
    }
  | {
      readonly type: 'RequestYearClose' | 'ApproveYearClose';
      readonly poolId: string;
      readonly year: string;
    };

/** A correction of an earlier year as an edge asks for it: the router says whether that year is closed. */
type PriorYearInput = Omit<
  Extract<LedgerCommandInput, { type: 'PostPriorYearAdjustment' }>,
  'correctedYearClosed' | 'actor'
>;

/** A balance brought forward as an edge asks for it: the write face reads what the year carried. */
type BringForwardInput = Omit<
  Extract<LedgerCommandInput, { type: 'BringForwardBalance' }>,
  'carriedForward' | 'fromYearClosed' | 'actor'
>;

/** A token as an edge asks for it: the write face mints the secret and keeps only its hash. */
export interface IssueTokenInput {
  readonly type: 'IssueToken';
  readonly userId: string;
  readonly label: string;
}

/** A set-up link as an administrator asks for it: the write face mints the code. */
export interface IssueSetupLinkInput {
  readonly type: 'IssueSetupLink';
  readonly userId: string;
}

export type CommandInput =
  | WithoutActor<PoolCommand>
  | WithoutActor<
      Exclude<
        LedgerCommandInput,
        { type: CloseCommandType | 'PostPriorYearAdjustment' | 'BringForwardBalance' }
      >
    >
  | CloseInput
  | PriorYearInput
  | BringForwardInput
  | WithoutActor<
      Exclude<
        AccessCommand,
        { type: 'IssueToken' | 'IssueSetupLink' | 'SetPassword' | 'RecordSignIn' | 'RecordSignOut' }
      >
    >
  | IssueTokenInput
  | IssueSetupLinkInput;

export interface WriteRequest {
  readonly caller: Caller;
  /** The caller's key for this request: the same key again means "the same request, retried". */
  readonly idempotencyKey: string;
  readonly command: CommandInput;
  /**
   * What the caller asked, to tell a retry from another request under the same key. An edge that
   * has a request of its own (an HTTP method, path and body) gives its digest; otherwise it is the
   * command's.
   */
  readonly requestDigest?: string;
  /** Apply only if the stream is at this version (an HTTP If-Match). */
  readonly expectedVersion?: number;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** Why, where a person decided something: the audit trail shows it beside the events. */
  readonly reason?: string;
}

/** What became of a request. `replayed` says it was answered from an earlier identical request. */
export type WriteOutcome =
  | {
      readonly kind: 'recorded';
      readonly aggregate: Aggregate;
      readonly streamId: string;
      readonly streamVersion: number;
      readonly eventCount: number;
      readonly firstPosition: number;
      readonly lastPosition: number;
      readonly replayed: boolean;
      /** The bearer token an IssueToken minted: given once, never on a replay. */
      readonly token?: MintedToken;
    }
  | (StoredOutcome & { readonly replayed: boolean })
  | { readonly kind: 'key-reused' }
  | { readonly kind: 'in-flight' }
  /** Other writers kept changing the stream under the command; nothing was recorded. */
  | { readonly kind: 'contended'; readonly detail: string }
  /** The stored history was found altered; nothing is recorded until an operator acknowledges it. */
  | { readonly kind: 'ledger-broken'; readonly detail: string };

type StoredOutcome =
  | {
      readonly kind: 'unchanged';
      readonly aggregate: Aggregate;
      readonly streamId: string;
      readonly streamVersion: number;
    }
  | { readonly kind: 'refused'; readonly error: DomainError };

/**
 * The key as the store keeps it: the caller's id and key, each with its length in front, so that
 * no caller's key can ever be read as another caller's ("a:b" + "c" is not "a" + "b:c").
 */
export function scopedKey(callerId: string, key: string): string {
  const scoped = `${callerId.length}:${callerId}:${key.length}:${key}`;
  // The store keeps keys of up to 200 characters; a longer one is kept as its hash, which cannot
  // be mistaken for a length-prefixed key because it does not start with a digit.
  return scoped.length <= MAX_SCOPED_KEY_LENGTH
    ? scoped
    : `sha256:${createHash('sha256').update(scoped).digest('hex')}`;
}

const MAX_SCOPED_KEY_LENGTH = 200;

export function commandDigest(command: unknown): string {
  return createHash('sha256').update(canonicalJson(command)).digest('hex');
}

async function findEarlierOutcome(
  dependencies: WriteFaceDependencies,
  scoped: string,
  digest: string,
): Promise<WriteOutcome | undefined> {
  const append = await dependencies.store.findAppend(scoped);
  if (append !== undefined) {
    const [first] = await dependencies.store.readStream(append.streamId, {
      fromVersion: append.streamVersion - append.eventCount + 1,
      limit: 1,
    });
    if (first?.metadata.requestDigest !== digest) return { kind: 'key-reused' };
    return {
      kind: 'recorded',
      aggregate: aggregateOfStream(append.streamId),
      streamId: append.streamId,
      streamVersion: append.streamVersion,
      eventCount: append.eventCount,
      firstPosition: append.firstPosition,
      lastPosition: append.lastPosition,
      replayed: true,
    };
  }
  const answer = await dependencies.answers.find(scoped);
  if (answer === undefined) return undefined;
  if (answer.requestDigest !== digest) return { kind: 'key-reused' };
  return { ...(answer.outcome as StoredOutcome), replayed: true };
}

function aggregateOfStream(streamId: string): Aggregate {
  if (streamId.startsWith('pool-')) return 'pool';
  if (streamId.startsWith('ledger-')) return 'ledger';
  return 'access';
}

/**
 * A secret as shown once to whoever asked for it: a bearer token (its id and the token), or a
 * person's set-up code (the link's id, the code, when it expires). Only the hash is kept.
 */
export interface MintedToken {
  readonly tokenId: string;
  readonly token: string;
  readonly expiresAt?: string;
}

/** How long a set-up link stays good. */
const SETUP_LINK_LIFETIME_MS = 72 * 60 * 60 * 1_000;

type Completed =
  | { readonly command: DomainCommand; readonly token?: MintedToken }
  | { readonly refusal: DomainError };

/** The command with its actor, and what only the write face may add: a token, a close's figures. */
async function completeCommand(
  request: WriteRequest,
  router: CommandRouter,
  dependencies: WriteFaceDependencies,
): Promise<Completed> {
  const actor = { id: request.caller.id, role: request.caller.role };
  const input = request.command;
  if (input.type === 'IssueToken') {
    const token = newToken();
    const command = { ...input, actor, tokenId: token.tokenId, secretHash: token.secretHash };
    return { command, token: { tokenId: token.tokenId, token: token.token } };
  }
  if (input.type === 'IssueSetupLink') {
    const setup = newSetupCode();
    const expiresAt = new Date(
      dependencies.clock().getTime() + SETUP_LINK_LIFETIME_MS,
    ).toISOString();
    const command = { ...input, actor, linkId: setup.linkId, codeHash: setup.codeHash, expiresAt };
    return { command, token: { tokenId: setup.linkId, token: setup.code, expiresAt } };
  }
  if (isCloseInput(input)) return closeCommand(input, actor, router, dependencies);
  if (input.type === 'PostPriorYearAdjustment') {
    const corrected = await router.ledgerState(input.poolId, input.correctsYear);
    const command = { ...input, actor, correctedYearClosed: corrected.state.yearClosed };
    return { command: command as DomainCommand };
  }
  if (input.type === 'BringForwardBalance') {
    const from = (await router.ledgerState(input.poolId, input.fromYear)).state;
    const carriedForward = [...from.carryForward].map(([fundingStream, amount]) => ({
      fundingStream,
      amount: amount.toString(),
    }));
    const command = { ...input, actor, carriedForward, fromYearClosed: from.yearClosed };
    return { command: command as DomainCommand };
  }
  return { command: { ...input, actor } as DomainCommand };
}

function isCloseInput(input: CommandInput): input is CloseInput {
  return (
    input.type === 'RequestQuarterClose' ||
    input.type === 'ApproveQuarterClose' ||
    input.type === 'RequestYearClose' ||
    input.type === 'ApproveYearClose'
  );
}

/** A close with what it signs: the digest of the position or statement at the versions now. */
async function closeCommand(
  input: CloseInput,
  actor: { id: string; role: ActorRole },
  router: CommandRouter,
  dependencies: WriteFaceDependencies,
): Promise<Completed> {
  const { poolId, year } = input;
  const versions = {
    poolVersion: (await router.poolState(poolId)).version,
    ledgerVersion: (await router.ledgerState(poolId, year)).version,
  };
  const closes = dependencies.closePositions;
  const digest =
    'quarter' in input
      ? await closes.positionDigest(poolId, year, input.quarter, versions)
      : await closes.yearEndDigest(poolId, year, versions);
  if (digest === undefined) {
    const missing = `pool "${poolId}" has no financial year ${year}`;
    return { refusal: refusal('year-not-open', missing, 'year', year) };
  }
  const previous = 'quarter' in input ? undefined : await openPreviousYear(router, poolId, year);
  const command = {
    ...input,
    actor,
    reportDigest: digest,
    ...versions,
    ...(previous === undefined ? {} : { openPreviousYear: previous }),
  };
  return { command: command as DomainCommand };
}

/** The pool's year before `year`, if it has one that is still open. */
async function openPreviousYear(
  router: CommandRouter,
  poolId: string,
  year: string,
): Promise<string | undefined> {
  const start = Number(year.slice(0, 4)) - 1;
  const previous = `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
  if (!(await router.poolState(poolId)).state.years.has(previous)) return undefined;
  const ledger = await router.ledgerState(poolId, previous);
  return ledger.state.yearClosed ? undefined : previous;
}

function metadataFor(
  request: WriteRequest,
  scoped: string,
  digest: string,
  now: Date,
): EventMetadata {
  const reason = request.reason;
  const correlationId = (request.correlationId ?? scoped).slice(0, 200);
  const credentialId = request.caller.credentialId;
  return {
    actor: { id: request.caller.id, role: request.caller.role },
    ...(credentialId === undefined ? {} : { credentialId }),
    recordedAt: now.toISOString(),
    correlationId,
    causationId: (request.causationId ?? correlationId).slice(0, 200),
    idempotencyKey: scoped,
    requestDigest: digest,
    ...(reason === undefined ? {} : { reason }),
  };
}

function recordedOutcome(
  aggregate: Aggregate,
  outcome: Extract<CommandOutcome, { ok: true }>,
  token: MintedToken | undefined,
): WriteOutcome {
  const append = outcome.append;
  if (append === undefined) throw new Error('a recorded outcome has its append');
  return {
    kind: 'recorded',
    aggregate,
    streamId: append.streamId,
    streamVersion: append.streamVersion,
    eventCount: append.eventCount,
    firstPosition: append.firstPosition,
    lastPosition: append.lastPosition,
    replayed: append.replayed,
    ...(token === undefined || append.replayed ? {} : { token }),
  };
}

function refused(error: DomainError, replayed: boolean): WriteOutcome {
  return { kind: 'refused', error, replayed };
}
