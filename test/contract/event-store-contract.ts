import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewEvent, RecordedEvent } from '../../src/events/envelope.ts';
import {
  AppendBatchKeyExistsError,
  IdempotencyKeyReusedError,
  InvalidAppendError,
  StoreDurabilityError,
  StoreIntegrityError,
  WrongExpectedVersionError,
} from '../../src/events/store/errors.ts';
import { GENESIS_HASH, verifyStreamChain } from '../../src/events/store/integrity.ts';
import { type EventStore, STORE_LIMITS } from '../../src/events/store/port.ts';
import { itemAdded, testMetadata } from '../support/test-events.ts';

/**
 * The event-store contract: what every adapter of the port must do. Each adapter's test file
 * calls eventStoreContract with a factory for fresh, empty stores.
 */
export interface ContractSubject {
  readonly store: EventStore;
  /**
   * Prefixed to every stream id and idempotency key, so that a server shared between runs (an
   * EventStoreDB reached through a connection string) sees fresh ones; empty for a fresh store.
   */
  readonly namePrefix: string;
  /** Whether global positions are dense (1, 2, 3...); where not, tests check order, not values. */
  readonly densePositions: boolean;
  /** A second, independent connection or client to the same store, as another process would have. */
  openAnother(): Promise<EventStore>;
  dispose(): Promise<void>;
  /** Ways below the port, for proving that the store resists or detects what is done there. */
  readonly underneath?: Underneath;
  /** Opening the same store with weaker durability settings; must be refused. */
  openWithWeakDurability?(): Promise<unknown>;
}

export interface Underneath {
  /** Tries to change a stored event's data through the storage engine's own write path. */
  tryUpdateEventData(position: number, data: string): Promise<void>;
  /** Tries to delete a stored event through the storage engine's own write path. */
  tryDeleteEvent(position: number): Promise<void>;
  /** Changes a stored event's data by force, as someone with the raw files could. */
  forceEventData(position: number, data: string): Promise<void>;
}

function expectIncreasing(positions: readonly number[]): void {
  for (const [index, position] of positions.entries())
    if (index > 0) expect(position).toBeGreaterThan(positions[index - 1] ?? 0);
}

export function eventStoreContract(
  adapterName: string,
  createSubject: () => Promise<ContractSubject>,
): void {
  describe(`event store contract: ${adapterName}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    let base = 0;
    let keySequence = 0;
    /** A stream id or key made fresh for this run (see ContractSubject.namePrefix). */
    const s = (name: string) => `${subject.namePrefix}${name}`;
    /** The n-th position after the log's head when the test began: exact where positions are dense. */
    const pos = (n: number): number =>
      subject.densePositions ? base + n : (expect.any(Number) as unknown as number);
    const nextKey = () => s(`key-${++keySequence}`);
    const added = (item: string, amount = '1.00') => itemAdded(item, amount, nextKey());
    /** Several events of one append share one idempotency key. */
    const batch = (...items: string[]): NewEvent[] => {
      const key = nextKey();
      return items.map((item) => itemAdded(item, '1.00', key));
    };

    beforeEach(async () => {
      subject = await createSubject();
      store = subject.store;
      base = await store.headPosition();
    });
    afterEach(async () => {
      await subject.dispose();
    });

    describe('append with an expected version', () => {
      it('creates a stream when no stream is expected, and refuses when it already exists', async () => {
        const result = await store.append(s('pool-a'), [added('a')], {
          expectedVersion: 'no-stream',
        });
        expect(result).toMatchObject({
          streamId: s('pool-a'),
          streamVersion: 1,
          firstPosition: pos(1),
          lastPosition: pos(1),
          replayed: false,
        });
        const refused = store.append(s('pool-a'), [added('b')], { expectedVersion: 'no-stream' });
        await expect(refused).rejects.toBeInstanceOf(WrongExpectedVersionError);
        await expect(refused).rejects.toMatchObject({ streamId: s('pool-a'), actualVersion: 1 });
      });

      it('appends at the exact version and refuses a stale one, saying the actual version', async () => {
        await store.append(s('pool-a'), batch('a', 'b'), { expectedVersion: 0 });
        const result = await store.append(s('pool-a'), [added('c')], { expectedVersion: 2 });
        expect(result.streamVersion).toBe(3);
        await expect(
          store.append(s('pool-a'), [added('d')], { expectedVersion: 2 }),
        ).rejects.toMatchObject({
          name: 'WrongExpectedVersionError',
          expectedVersion: 2,
          actualVersion: 3,
        });
        await expect(
          store.append(s('pool-a'), [added('d')], { expectedVersion: 4 }),
        ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      });

      it('appends at any version when asked not to check', async () => {
        await store.append(s('pool-a'), [added('a')], { expectedVersion: 'any' });
        await store.append(s('pool-a'), [added('b')], { expectedVersion: 'any' });
        expect(await store.streamVersion(s('pool-a'))).toBe(2);
      });

      it('appends every event of a batch, in order, with consecutive versions and positions', async () => {
        await store.append(s('other'), [added('x')], { expectedVersion: 'no-stream' });
        const result = await store.append(s('pool-a'), batch('a', 'b', 'c'), {
          expectedVersion: 'no-stream',
        });
        expect(result).toMatchObject({
          streamVersion: 3,
          firstPosition: pos(2),
          lastPosition: pos(4),
          eventCount: 3,
        });
        const events = (await store.readAll(base + 1, { limit: 100 })).events.filter(
          (event) => event.streamId === s('pool-a'),
        );
        expect(
          events.map((event) => [
            event.streamVersion,
            event.globalPosition,
            (event.data as { item: string }).item,
          ]),
        ).toEqual([
          [1, pos(2), 'a'],
          [2, pos(3), 'b'],
          [3, pos(4), 'c'],
        ]);
        expectIncreasing(events.map((event) => event.globalPosition));
      });
    });

    describe('appending a batch', () => {
      it('writes several keyed appends in one go, each with its own result, in order', async () => {
        await store.append(s('pool-a'), [added('a')], { expectedVersion: 'no-stream' });
        const results = await store.appendAll(s('pool-a'), [batch('b', 'c'), batch('d')], {
          expectedVersion: 1,
        });
        expect(
          results.map((result) => [
            result.streamVersion,
            result.firstPosition,
            result.lastPosition,
            result.eventCount,
          ]),
        ).toEqual([
          [3, pos(2), pos(3), 2],
          [4, pos(4), pos(4), 1],
        ]);
        expect(verifyStreamChain(await store.readStream(s('pool-a')))).toEqual({
          ok: true,
          eventCount: 4,
        });
        expect(await store.findAppend(s(`key-${keySequence}`))).toMatchObject({
          streamVersion: 4,
          replayed: true,
        });
      });

      it('writes nothing of a batch when one key is already stored, or the version is wrong', async () => {
        const stored = batch('a');
        await store.append(s('pool-a'), stored, { expectedVersion: 'no-stream' });
        await expect(
          store.appendAll(s('pool-a'), [batch('b'), stored], { expectedVersion: 1 }),
        ).rejects.toBeInstanceOf(AppendBatchKeyExistsError);
        await expect(
          store.appendAll(s('pool-a'), [batch('c'), batch('d')], { expectedVersion: 0 }),
        ).rejects.toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.headPosition()).toEqual(pos(1));
        const next = await store.appendAll(s('pool-a'), [batch('e')], { expectedVersion: 1 });
        expect(next[0]?.firstPosition).toEqual(pos(2));
      });
    });

    describe('a rejected append leaves no trace', () => {
      it('writes nothing when the expected version is wrong, and leaves no gap in positions', async () => {
        await store.append(s('pool-a'), [added('a')], { expectedVersion: 'no-stream' });
        await expect(
          store.append(s('pool-a'), batch('b', 'c'), { expectedVersion: 0 }),
        ).rejects.toThrow();
        expect(await store.headPosition()).toEqual(pos(1));
        const next = await store.append(s('pool-b'), [added('d')], {
          expectedVersion: 'no-stream',
        });
        expect(next.firstPosition).toEqual(pos(2));
      });

      it('writes none of a batch whose last event is invalid', async () => {
        const key = nextKey();
        const events = [
          itemAdded('a', '1.00', key),
          itemAdded('b', '2.00', key),
          itemAdded('c', '1.234', key),
        ];
        await expect(
          store.append(s('pool-a'), events, { expectedVersion: 'no-stream' }),
        ).rejects.toBeInstanceOf(InvalidAppendError);
        expect(await store.streamVersion(s('pool-a'))).toBe(0);
        expect(await store.headPosition()).toBe(base);
        expect(await store.findAppend(key)).toBeUndefined();
      });

      it('refuses invalid data, metadata, types, stream ids and empty appends, naming the problem', async () => {
        const valid = added('a');
        const cases: [string, NewEvent[], string][] = [
          [s('pool-a'), [{ ...valid, data: { item: 'a', amount: 12.5 } }], 'amount'],
          [s('pool-a'), [{ ...valid, type: 'ItemAdded' }], 'versioned event type'],
          [s('pool-a'), [{ ...valid, type: 'Unknown.v1' }], 'not an event type of the catalogue'],
          [
            s('pool-a'),
            [{ ...valid, metadata: { ...valid.metadata, recordedAt: 'yesterday' } }],
            'recordedAt',
          ],
          ['pool a/../b', [valid], 'not a stream id'],
          [s('pool-a'), [], 'at least one event'],
          [
            s('pool-a'),
            [itemAdded('a', '1.00', s('k1')), itemAdded('b', '1.00', s('k2'))],
            'idempotency key',
          ],
        ];
        for (const [streamId, events, message] of cases) {
          await expect(
            store.append(streamId, events, { expectedVersion: 'any' }),
            message,
          ).rejects.toThrow(message);
        }
        expect(await store.headPosition()).toBe(base);
      });

      it(`refuses an append of more than ${STORE_LIMITS.maxEventsPerAppend} events`, async () => {
        const key = nextKey();
        const events = Array.from({ length: STORE_LIMITS.maxEventsPerAppend + 1 }, (_, index) =>
          itemAdded(`i${index}`, '1.00', key),
        );
        await expect(store.append(s('pool-a'), events, { expectedVersion: 'any' })).rejects.toThrow(
          'at most',
        );
        expect(await store.headPosition()).toBe(base);
      });
    });

    describe('reading a stream', () => {
      it('reads from a version, within a limit, and nothing from a stream that does not exist', async () => {
        await store.append(s('pool-a'), batch('a', 'b', 'c', 'd'), {
          expectedVersion: 'no-stream',
        });
        const items = (events: RecordedEvent[]) =>
          events.map((event) => (event.data as { item: string }).item);
        expect(items(await store.readStream(s('pool-a'), { fromVersion: 3 }))).toEqual(['c', 'd']);
        expect(items(await store.readStream(s('pool-a'), { fromVersion: 2, limit: 2 }))).toEqual([
          'b',
          'c',
        ]);
        expect(await store.readStream(s('pool-a'), { fromVersion: 5 })).toEqual([]);
        expect(await store.readStream(s('nobody'))).toEqual([]);
        expect(await store.streamVersion(s('nobody'))).toBe(0);
      });

      it('gives back exactly what was appended, with its metadata', async () => {
        const event = itemAdded('a', '1250000.50', s('key-meta'));
        const withReason = {
          ...event,
          metadata: testMetadata(s('key-meta'), { reason: 'board decision 12' }),
        };
        await store.append(s('pool-a'), [withReason], { expectedVersion: 'no-stream' });
        const [read] = await store.readStream(s('pool-a'));
        expect(read).toMatchObject({
          type: 'ItemAdded.v1',
          data: withReason.data,
          metadata: withReason.metadata,
          streamId: s('pool-a'),
        });
        expect(read?.eventId).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
      });
    });

    describe('reading the whole log', () => {
      it('reads every stream in commit order with dense positions, page by page', async () => {
        for (let index = 0; index < 25; index++) {
          await store.append(s(`pool-${index % 3}`), [added(`e${index}`)], {
            expectedVersion: 'any',
          });
        }
        const seen: RecordedEvent[] = [];
        let position = base + 1;
        for (;;) {
          const page = await store.readAll(position, { limit: 10 });
          expect(page.events.length).toBeLessThanOrEqual(10);
          seen.push(...page.events);
          position = page.nextPosition;
          if (page.endOfLog) break;
        }
        const ours = seen.filter((event) => event.streamId.startsWith(s('pool-')));
        expect(ours.map((event) => event.globalPosition)).toEqual(
          Array.from({ length: 25 }, (_, index) => pos(index + 1)),
        );
        expectIncreasing(ours.map((event) => event.globalPosition));
        expect(ours.map((event) => (event.data as { item: string }).item)).toEqual(
          Array.from({ length: 25 }, (_, index) => `e${index}`),
        );
        expect(await store.headPosition()).toBe(ours.at(-1)?.globalPosition);
        expect(await store.appendedThrough()).toBe(ours.at(-1)?.globalPosition);
      });

      it('reads one event by its own position, as after a page', async () => {
        for (const item of ['p', 'q', 'r'])
          await store.append(s('pool-one'), [added(item)], { expectedVersion: 'any' });
        const ours = (await store.readStream(s('pool-one'))).map((event) => event.globalPosition);
        const middle = ours[1] ?? 0;
        const one = await store.readAll(middle, { limit: 1 });
        expect(one.events.map((event) => event.globalPosition)).toEqual([middle]);
        const after = await store.readAll(one.nextPosition, { limit: 1 });
        expect(after.events.map((event) => event.globalPosition)).toEqual([ours[2]]);
      });

      it('bounds the page size', async () => {
        await expect(store.readAll(1, { limit: STORE_LIMITS.maxPageSize + 1 })).rejects.toThrow(
          'a page holds',
        );
        await expect(store.readAll(0)).rejects.toThrow('not a log position');
        const beyond = (await store.headPosition()) + 1;
        const empty = await store.readAll(beyond);
        expect(empty).toEqual({ events: [], nextPosition: beyond, endOfLog: true });
      });
    });

    describe('subscribing', () => {
      it('catches up with stored events, then follows new appends, until aborted', async () => {
        await store.append(s('pool-a'), batch('a', 'b'), { expectedVersion: 'no-stream' });
        const fromB = await store.headPosition();
        const controller = new AbortController();
        const received: string[] = [];
        const done = (async () => {
          for await (const event of store.subscribe({
            fromPosition: fromB,
            signal: controller.signal,
          })) {
            received.push((event.data as { item: string }).item);
            if (received.length === 3) controller.abort();
          }
        })();
        await store.append(s('pool-b'), [added('c')], { expectedVersion: 'no-stream' });
        const another = await subject.openAnother();
        await another.append(s('pool-a'), [added('d')], { expectedVersion: 2 });
        await done;
        expect(received).toEqual(['b', 'c', 'd']);
        await another.close();
      });
    });

    describe('idempotency', () => {
      it('returns the original result for a repeated key and writes nothing, whatever the expected version', async () => {
        const first = await store.append(s('pool-a'), batch('a', 'b'), {
          expectedVersion: 'no-stream',
        });
        const key = s(`key-${keySequence}`);
        const again = [itemAdded('a', '1.00', key), itemAdded('b', '1.00', key)];
        const replay = await store.append(s('pool-a'), again, { expectedVersion: 'no-stream' });
        expect(replay).toEqual({ ...first, replayed: true });
        expect(await store.headPosition()).toEqual(pos(2));
        expect(await store.findAppend(key)).toEqual({ ...first, replayed: true });
        expect(await store.findAppend(s('never-used'))).toBeUndefined();
      });

      it('refuses a repeated key carrying a different request', async () => {
        await store.append(s('pool-a'), [itemAdded('a', '1.00', s('same-key'))], {
          expectedVersion: 'no-stream',
        });
        await expect(
          store.append(s('pool-a'), [itemAdded('a', '2.00', s('same-key'))], {
            expectedVersion: 1,
          }),
        ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
        await expect(
          store.append(s('pool-b'), [itemAdded('a', '1.00', s('same-key'))], {
            expectedVersion: 'no-stream',
          }),
        ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
        expect(await store.headPosition()).toEqual(pos(1));
      });

      it('derives the same event ids for the same key, so a retry cannot duplicate', async () => {
        const event = itemAdded('a', '1.00', s('stable-key'));
        await store.append(s('pool-a'), [event], { expectedVersion: 'no-stream' });
        await store.append(s('pool-a'), [event], { expectedVersion: 'any' });
        const events = await store.readStream(s('pool-a'));
        expect(events).toHaveLength(1);
      });
    });

    describe('tamper evidence', () => {
      it('chains each stream: every event names the hash of the one before and hashes its own content', async () => {
        await store.append(s('pool-a'), batch('a', 'b'), { expectedVersion: 'no-stream' });
        await store.append(s('pool-b'), [added('x')], { expectedVersion: 'no-stream' });
        await store.append(s('pool-a'), [added('c')], { expectedVersion: 2 });
        const events = await store.readStream(s('pool-a'));
        expect(events[0]?.previousHash).toBe(GENESIS_HASH);
        expect(events[1]?.previousHash).toBe(events[0]?.hash);
        expect(events[2]?.previousHash).toBe(events[1]?.hash);
        expect(verifyStreamChain(events)).toEqual({ ok: true, eventCount: 3 });
      });

      it('detects an altered amount, a removed event and a reordering', async () => {
        await store.append(s('pool-a'), batch('a', 'b', 'c'), { expectedVersion: 'no-stream' });
        const events = await store.readStream(s('pool-a'));
        const [first, second, third] = events as [RecordedEvent, RecordedEvent, RecordedEvent];
        const altered = { ...second, data: { item: 'b', amount: '1000.00' } };
        expect(verifyStreamChain([first, altered, third])).toMatchObject({
          ok: false,
          streamVersion: 2,
        });
        expect(verifyStreamChain([first, third])).toMatchObject({ ok: false, streamVersion: 2 });
        expect(
          verifyStreamChain([
            first,
            { ...third, streamVersion: 2 },
            { ...second, streamVersion: 3 },
          ]),
        ).toMatchObject({
          ok: false,
          streamVersion: 2,
        });
      });

      it('detects data changed underneath the store', async (context) => {
        if (subject.underneath === undefined)
          context.skip('this adapter offers no way below its port');
        await store.append(s('pool-a'), batch('a', 'b'), { expectedVersion: 'no-stream' });
        await subject.underneath?.forceEventData(
          2,
          JSON.stringify({ item: 'b', amount: '9999.00' }),
        );
        const verdict = verifyStreamChain(await store.readStream(s('pool-a')));
        expect(verdict).toEqual({
          ok: false,
          streamVersion: 2,
          problem: 'its content does not match its hash',
        });
      });
    });

    describe('immutability', () => {
      it('refuses to update or delete a stored event through the storage engine itself', async (context) => {
        if (subject.underneath === undefined)
          context.skip('this adapter offers no way below its port');
        await store.append(s('pool-a'), [added('a')], { expectedVersion: 'no-stream' });
        await expect(subject.underneath?.tryUpdateEventData(1, '{}')).rejects.toThrow('immutable');
        await expect(subject.underneath?.tryDeleteEvent(1)).rejects.toThrow('immutable');
        expect(await store.readStream(s('pool-a'))).toHaveLength(1);
      });
    });

    describe('validation on read', () => {
      it('refuses to hand out a stored event that no longer fits its schema', async (context) => {
        if (subject.underneath === undefined)
          context.skip('this adapter offers no way below its port');
        await store.append(s('pool-a'), [added('a')], { expectedVersion: 'no-stream' });
        await subject.underneath?.forceEventData(1, JSON.stringify({ item: 'a', amount: 12.5 }));
        await expect(store.readStream(s('pool-a'))).rejects.toBeInstanceOf(StoreIntegrityError);
        await expect(store.readAll(1)).rejects.toThrow('position 1');
      });
    });

    describe('durability', () => {
      it('refuses to open with weaker durability settings', async (context) => {
        if (subject.openWithWeakDurability === undefined)
          context.skip('durability is not configurable on this adapter');
        await expect(subject.openWithWeakDurability?.()).rejects.toBeInstanceOf(
          StoreDurabilityError,
        );
      });
    });

    describe('concurrent appenders', () => {
      it('lets exactly one of several writers win each version of a stream: nothing lost, nothing duplicated', async () => {
        const writers = [
          store,
          ...(await Promise.all(Array.from({ length: 7 }, () => subject.openAnother()))),
        ];
        const appendsPerWriter = 15;
        let conflicts = 0;
        const wins = await Promise.all(
          writers.map(async (writer, writerIndex) => {
            const won: number[] = [];
            let attempt = 0;
            while (won.length < appendsPerWriter) {
              attempt += 1;
              const version = await writer.streamVersion(s('pool-race'));
              const key = s(`w${writerIndex}-n${won.length}`);
              try {
                const result = await writer.append(s('pool-race'), [itemAdded(key, '1.00', key)], {
                  expectedVersion: version,
                });
                expect(result.replayed).toBe(false);
                won.push(result.streamVersion);
              } catch (error) {
                if (!(error instanceof WrongExpectedVersionError)) throw error;
                conflicts += 1;
              }
              await new Promise((resolve) => setImmediate(resolve));
              if (attempt > 10_000) throw new Error('a writer never won');
            }
            return won;
          }),
        );
        // Without lost races the test would prove nothing about racing.
        expect(conflicts).toBeGreaterThan(0);
        const versions = wins.flat().sort((a, b) => a - b);
        const total = writers.length * appendsPerWriter;
        expect(versions).toEqual(Array.from({ length: total }, (_, index) => index + 1));
        const events = await store.readStream(s('pool-race'), { limit: STORE_LIMITS.maxPageSize });
        expect(new Set(events.map((event) => (event.data as { item: string }).item)).size).toBe(
          total,
        );
        expect(verifyStreamChain(events)).toEqual({ ok: true, eventCount: total });
        for (const writer of writers.slice(1)) await writer.close();
      });
    });
  });
}
