import { CommandContentionError } from '../../src/commands/handler/command-handler.ts';
import { bcfCatalogue } from '../../src/events/catalogue/index.ts';
import type { NewEvent } from '../../src/events/envelope.ts';
import { WrongExpectedVersionError } from '../../src/events/store/errors.ts';
import type { AppendOptions, EventStore } from '../../src/events/store/port.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import {
  createTestService as createLedgerService,
  type LedgerCommandInput,
} from './command-service.ts';
import { cfo, MIN_CCG, metadataFor, officer, POOL, secondCfo, YEAR } from './domain.ts';

/**
 * One writer of the concurrency test, as its own process with its own connection and command
 * handler, as an API instance would be. It issues 30 commands and prints one JSON line per
 * outcome, then a line with how many of its commits another writer beat.
 *
 * Arguments: <database path> <writer number>
 */
const [path, writerText] = process.argv.slice(2);
if (path === undefined || writerText === undefined) throw new Error('usage: <path> <writer>');
const writer = Number(writerText);
const raw = SqliteEventStore.open({ path, catalogue: bcfCatalogue, busyTimeoutMs: 30_000 });
let conflicts = 0;
const counted = async <Result>(write: () => Promise<Result>) => {
  try {
    return await write();
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) conflicts += 1;
    throw error;
  }
};
const store: EventStore = {
  append: (streamId: string, events: readonly NewEvent[], options: AppendOptions) =>
    counted(() => raw.append(streamId, events, options)),
  appendAll: (
    streamId: string,
    appends: readonly (readonly NewEvent[])[],
    options: AppendOptions,
  ) => counted(() => raw.appendAll(streamId, appends, options)),
  readStream: raw.readStream.bind(raw),
  streamVersion: raw.streamVersion.bind(raw),
  readAll: raw.readAll.bind(raw),
  headPosition: raw.headPosition.bind(raw),
  appendedThrough: raw.appendedThrough.bind(raw),
  subscribe: raw.subscribe.bind(raw),
  findAppend: raw.findAppend.bind(raw),
  close: raw.close.bind(raw),
};
const service = createLedgerService(store);

for (let turn = 0; turn < 30; turn++) {
  const command = commandFor(writer, turn);
  const key = `w${writer}-t${turn}`;
  // Too much contention is an answer too (the API's 503): the command recorded nothing.
  const outcome = await service
    .ledger(command, metadataFor(command.actor, key))
    .catch((error: unknown) => {
      if (error instanceof CommandContentionError)
        return { ok: false as const, error: { code: 'contention', message: error.message } };
      throw error;
    });
  process.stdout.write(
    `${JSON.stringify({ key, type: command.type, ok: outcome.ok, code: outcome.ok ? null : outcome.error.code })}\n`,
  );
}
process.stdout.write(`${JSON.stringify({ conflicts })}\n`);
await raw.close();

/**
 * Each writer's turn n: mostly allocations of 25,000.00 while funds last, spend, and virements
 * of 30,000.00 requested by an officer and approved by one of two approvers.
 */
function commandFor(writerNumber: number, turn: number): LedgerCommandInput {
  const base = { poolId: POOL, year: YEAR };
  const schemeId = ['1', '3'][(writerNumber + turn) % 2] ?? '1';
  const virementId = `vir-${writerNumber}-${Math.floor(turn / 6)}`;
  switch (turn % 6) {
    case 1:
      return {
        ...base,
        type: 'RequestVirement',
        actor: officer,
        virementId,
        fundingStream: MIN_CCG,
        fromSchemeId: schemeId,
        toSchemeId: schemeId === '1' ? '3' : '1',
        amount: '30000.00',
      };
    case 3:
      return {
        ...base,
        type: 'ApproveVirement',
        actor: writerNumber % 2 === 0 ? cfo : secondCfo,
        virementId,
      };
    default:
      if (turn < 20) {
        return {
          ...base,
          type: 'AllocateFunds',
          actor: officer,
          allocationId: `alloc-${writerNumber}-${turn}`,
          schemeId,
          fundingStream: MIN_CCG,
          amount: '25000.00',
        };
      }
      return {
        ...base,
        type: 'RecordSpend',
        actor: officer,
        spendId: `spend-${writerNumber}-${turn}`,
        schemeId,
        fundingStream: MIN_CCG,
        quarter: 'Q1',
        spendDate: '2017-06-01',
        amount: '20000.00',
        supplier: 'Provider Ltd',
        erpReference: `ERP-${writerNumber}-${turn}`,
        description: 'care',
      };
  }
}
