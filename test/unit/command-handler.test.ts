import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accept, type Decider, refuse } from '../../src/commands/decider.ts';
import { BatchingCommandHandler } from '../../src/commands/handler/batching-command-handler.ts';
import {
  CommandContentionError,
  type CommandHandler,
  type CommandHandlerOptions,
  createCommandHandler,
} from '../../src/commands/handler/command-handler.ts';
import type { NewEvent } from '../../src/events/envelope.ts';
import type { AppendOptions, EventStore } from '../../src/events/store/port.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';
import { itemAdded, testCatalogue, testMetadata } from '../support/test-events.ts';

/** A small decider: a list of items, each added once and removed once. */
type ItemCommand = { kind: 'add'; item: string; amount: string } | { kind: 'remove'; item: string };
type ItemEvent =
  | { type: 'ItemAdded.v1'; data: { item: string; amount: string } }
  | { type: 'ItemRemoved.v1'; data: { item: string } };

const itemDecider: Decider<ItemCommand, ReadonlySet<string>, ItemEvent> = {
  initialState: () => new Set(),
  evolve(state, event) {
    const next = new Set(state);
    if (event.type === 'ItemAdded.v1') next.add(event.data.item);
    else next.delete(event.data.item);
    return next;
  },
  decide(command, state) {
    if (command.kind === 'add') {
      if (state.has(command.item))
        return refuse({ code: 'duplicate-item', message: `${command.item} is already there` });
      return accept({ type: 'ItemAdded.v1', data: { item: command.item, amount: command.amount } });
    }
    if (!state.has(command.item))
      return refuse({ code: 'unknown-item', message: `${command.item} is not there` });
    return accept({ type: 'ItemRemoved.v1', data: { item: command.item } });
  },
};

/**
 * The real store with a hook that runs just before each append goes through: a way to make
 * another writer get in first, deterministically.
 */
function storeWithInterloper(
  store: EventStore,
  beforeAppend: (attempt: number) => Promise<void>,
): EventStore & { appendAttempts: number; streamReadsFrom: number[] } {
  const wrapper = {
    appendAttempts: 0,
    streamReadsFrom: [] as number[],
    append: async (streamId: string, events: readonly NewEvent[], options: AppendOptions) => {
      wrapper.appendAttempts += 1;
      await beforeAppend(wrapper.appendAttempts);
      return store.append(streamId, events, options);
    },
    appendAll: async (
      streamId: string,
      appends: readonly (readonly NewEvent[])[],
      options: AppendOptions,
    ) => {
      wrapper.appendAttempts += 1;
      await beforeAppend(wrapper.appendAttempts);
      return store.appendAll(streamId, appends, options);
    },
    readStream: (...args: Parameters<EventStore['readStream']>) => {
      wrapper.streamReadsFrom.push(args[1]?.fromVersion ?? 1);
      return store.readStream(...args);
    },
    streamVersion: store.streamVersion.bind(store),
    readAll: store.readAll.bind(store),
    headPosition: store.headPosition.bind(store),
    appendedThrough: store.appendedThrough.bind(store),
    subscribe: store.subscribe.bind(store),
    findAppend: store.findAppend.bind(store),
    close: store.close.bind(store),
  };
  return wrapper;
}

const HANDLERS: [string, HandlerFactory][] = [
  [
    'the command handler',
    (store, decider, options) => createCommandHandler(store, decider, options),
  ],
  [
    'the batching command handler',
    (store, decider, options) => new BatchingCommandHandler(store, decider, options),
  ],
];

type HandlerFactory = <Command, State, Event extends ItemEvent>(
  store: EventStore,
  decider: Decider<Command, State, Event>,
  options?: CommandHandlerOptions,
) => CommandHandler<Command, State>;

describe.each(HANDLERS)('%s', (_name, createHandler) => {
  let directory: ReturnType<typeof temporaryDirectory>;
  let store: SqliteEventStore;

  beforeEach(() => {
    directory = temporaryDirectory('handler');
    store = SqliteEventStore.open({
      path: join(directory.path, 'ledger.sqlite'),
      catalogue: testCatalogue,
    });
  });
  afterEach(async () => {
    await store.close();
    directory.remove();
  });

  it('decides on the folded stream and appends the events with the command metadata', async () => {
    const handler = createHandler(store, itemDecider);
    const outcome = await handler.handle(
      'items-1',
      { kind: 'add', item: 'a', amount: '5.00' },
      testMetadata('c1'),
    );
    expect(outcome).toMatchObject({
      ok: true,
      eventCount: 1,
      append: { streamVersion: 1, replayed: false },
    });
    const [event] = await store.readStream('items-1');
    expect(event).toMatchObject({
      type: 'ItemAdded.v1',
      data: { item: 'a', amount: '5.00' },
      metadata: testMetadata('c1'),
    });
  });

  it('returns a refusal as a value and writes nothing', async () => {
    const handler = createHandler(store, itemDecider);
    const outcome = await handler.handle(
      'items-1',
      { kind: 'remove', item: 'a' },
      testMetadata('c1'),
    );
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'unknown-item', message: 'a is not there' },
    });
    expect(await store.headPosition()).toBe(0);
  });

  it('decides again on the newer state when another writer got in first', async () => {
    let interloped = false;
    const racing = storeWithInterloper(store, async () => {
      if (interloped) return;
      interloped = true;
      await store.append('items-1', [itemAdded('other', '1.00', 'interloper')], {
        expectedVersion: 'no-stream',
      });
    });
    const handler = createHandler(racing, itemDecider);
    const outcome = await handler.handle(
      'items-1',
      { kind: 'add', item: 'a', amount: '1.00' },
      testMetadata('c1'),
    );
    expect(outcome).toMatchObject({ ok: true, append: { streamVersion: 2 } });
    expect(racing.appendAttempts).toBe(2);
  });

  it('refuses on the second decision when the interloper made the command invalid', async () => {
    let interloped = false;
    const racing = storeWithInterloper(store, async () => {
      if (interloped) return;
      interloped = true;
      await store.append('items-1', [itemAdded('a', '1.00', 'interloper')], {
        expectedVersion: 'no-stream',
      });
    });
    const handler = createHandler(racing, itemDecider);
    const outcome = await handler.handle(
      'items-1',
      { kind: 'add', item: 'a', amount: '1.00' },
      testMetadata('c1'),
    );
    expect(outcome).toMatchObject({ ok: false, error: { code: 'duplicate-item' } });
    expect(await store.streamVersion('items-1')).toBe(1);
  });

  it('gives up after a bounded number of lost races, having written nothing of its own', async () => {
    const alwaysBeaten = storeWithInterloper(store, async (attempt) => {
      await store.append(
        'items-1',
        [itemAdded(`other-${attempt}`, '1.00', `interloper-${attempt}`)],
        { expectedVersion: 'any' },
      );
    });
    const handler = createHandler(alwaysBeaten, itemDecider, {
      maxRetries: 3,
      maxCachedStreams: 10,
      maxBatchSize: 256,
    });
    await expect(
      handler.handle('items-1', { kind: 'add', item: 'a', amount: '1.00' }, testMetadata('c1')),
    ).rejects.toBeInstanceOf(CommandContentionError);
    expect(alwaysBeaten.appendAttempts).toBe(4);
    expect(await store.findAppend('c1')).toBeUndefined();
  });
});

describe('the batching command handler: queue, group commit and cache', () => {
  let directory: ReturnType<typeof temporaryDirectory>;
  let store: SqliteEventStore;

  beforeEach(() => {
    directory = temporaryDirectory('handler');
    store = SqliteEventStore.open({
      path: join(directory.path, 'ledger.sqlite'),
      catalogue: testCatalogue,
    });
  });
  afterEach(async () => {
    await store.close();
    directory.remove();
  });

  it('reads only the events appended since its cached state, and notices appends by other writers', async () => {
    const counting = storeWithInterloper(store, async () => {});
    const handler = new BatchingCommandHandler(counting, itemDecider);
    await handler.handle('items-1', { kind: 'add', item: 'a', amount: '1.00' }, testMetadata('c1'));
    await store.append('items-1', [itemAdded('b', '1.00', 'elsewhere')], { expectedVersion: 1 });
    counting.streamReadsFrom.length = 0;
    const outcome = await handler.handle(
      'items-1',
      { kind: 'add', item: 'b', amount: '1.00' },
      testMetadata('c2'),
    );
    expect(outcome).toMatchObject({ ok: false, error: { code: 'duplicate-item' } });
    // The handler's own append is in its cache; only what the other writer added is read.
    expect(counting.streamReadsFrom).toEqual([2]);
    const state = await handler.currentState('items-1');
    expect([...state.state].sort()).toEqual(['a', 'b']);
    expect(state.version).toBe(2);
  });

  it('takes commands on one stream in turn, so a state updated in place never folds an event twice', async () => {
    // This decider updates its state in place, as the ledger's does; a count that drifted from
    // the stream's length would show an event applied twice.
    const counting: Decider<{ item: string }, { items: string[] }, ItemEvent> = {
      initialState: () => ({ items: [] }),
      evolve(state, event) {
        state.items.push(event.data.item);
        return state;
      },
      decide: (command) =>
        accept({ type: 'ItemAdded.v1', data: { item: command.item, amount: '1.00' } }),
    };
    const handler = new BatchingCommandHandler(store, counting);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        handler.handle('items-1', { item: `i${index}` }, testMetadata(`c${index}`)),
      ),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    const { state, version } = await handler.currentState('items-1');
    expect(version).toBe(50);
    expect(state.items).toHaveLength(50);
    expect(new Set(state.items).size).toBe(50);
  });

  it('lets commands waiting on one stream share one commit, each with its own outcome', async () => {
    const counting = storeWithInterloper(store, async () => {});
    const handler = new BatchingCommandHandler(counting, itemDecider);
    const outcomes = await Promise.all([
      handler.handle('items-1', { kind: 'add', item: 'a', amount: '1.00' }, testMetadata('c1')),
      handler.handle('items-1', { kind: 'add', item: 'a', amount: '1.00' }, testMetadata('c2')),
      handler.handle('items-1', { kind: 'add', item: 'b', amount: '1.00' }, testMetadata('c3')),
      handler.handle('items-1', { kind: 'remove', item: 'a' }, testMetadata('c4')),
    ]);
    // The second add of "a" is refused on the state the first one leaves, though both were waiting.
    expect(
      outcomes.map((outcome) => (outcome.ok ? outcome.append?.streamVersion : outcome.error.code)),
    ).toEqual([1, 'duplicate-item', 2, 3]);
    expect(counting.appendAttempts).toBeLessThan(4);
    expect((await handler.currentState('items-1')).version).toBe(3);
  });

  it('decides a whole batch again when another writer got in before its commit', async () => {
    let interloped = false;
    const racing = storeWithInterloper(store, async () => {
      if (interloped) return;
      interloped = true;
      await store.append('items-1', [itemAdded('b', '1.00', 'interloper')], {
        expectedVersion: 'no-stream',
      });
    });
    const handler = new BatchingCommandHandler(racing, itemDecider);
    const outcomes = await Promise.all([
      handler.handle('items-1', { kind: 'add', item: 'a', amount: '1.00' }, testMetadata('c1')),
      handler.handle('items-1', { kind: 'add', item: 'b', amount: '1.00' }, testMetadata('c2')),
    ]);
    expect(outcomes[0]).toMatchObject({ ok: true });
    expect(outcomes[1]).toMatchObject({ ok: false, error: { code: 'duplicate-item' } });
    const { state, version } = await handler.currentState('items-1');
    expect([...state].sort()).toEqual(['a', 'b']);
    expect(version).toBe(2);
  });

  it('keeps at most the configured number of streams cached and stays correct when they are dropped', async () => {
    const counting = storeWithInterloper(store, async () => {});
    const handler = new BatchingCommandHandler(counting, itemDecider, {
      maxRetries: 3,
      maxCachedStreams: 2,
      maxBatchSize: 256,
    });
    for (const stream of ['s1', 's2', 's3']) {
      await handler.handle(
        stream,
        { kind: 'add', item: 'a', amount: '1.00' },
        testMetadata(`${stream}-1`),
      );
    }
    counting.streamReadsFrom.length = 0;
    const outcome = await handler.handle(
      's1',
      { kind: 'add', item: 'a', amount: '1.00' },
      testMetadata('s1-2'),
    );
    expect(outcome).toMatchObject({ ok: false, error: { code: 'duplicate-item' } });
    // s1 was dropped from the cache, so it was folded again from version 1; s3 is still cached.
    expect(counting.streamReadsFrom).toEqual([1]);
    await handler.handle('s3', { kind: 'remove', item: 'a' }, testMetadata('s3-2'));
    expect(counting.streamReadsFrom).toEqual([1, 2]);
  });
});
