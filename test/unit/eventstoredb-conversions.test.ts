// The client is imported here only to build the errors its server sends, as they arrive.
import {
  StreamNotFoundError as ServerStreamNotFound,
  WrongExpectedVersionError as ServerWrongExpectedVersion,
} from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { StoreIntegrityError, WrongExpectedVersionError } from '../../src/events/store/errors.ts';
import {
  appendSpans,
  EventStoreDbEventStore,
  EventStoreDbUnreachableError,
  fromCurrentRevision,
  fromServerEvent,
  intentOutcome,
  isInvalidPositionError,
  isLedgerEvent,
  markerStream,
  readPositionsFor,
  recordedFromIntent,
  redactConnectionString,
  toExpectedRevision,
  toGlobalPosition,
  toPortAppendError,
  toReadPosition,
  toRevision,
  toStreamVersion,
} from '../../src/events/store/eventstoredb/eventstoredb-event-store.ts';
import { deriveEventId, eventHash, GENESIS_HASH } from '../../src/events/store/integrity.ts';
import { testCatalogue, testMetadata } from '../support/test-events.ts';

/** The EventStoreDB adapter's conversions, which need no server. */
describe('EventStoreDB conversions', () => {
  it('turns the port’s versions into revisions counted from 0, and back', () => {
    expect(toExpectedRevision(0)).toBe('no_stream');
    expect(toExpectedRevision(1)).toBe(0n);
    expect(toExpectedRevision(42)).toBe(41n);
    expect(toRevision(1)).toBe(0n);
    expect(toRevision(10)).toBe(9n);
    expect(() => toRevision(0)).toThrow('not a stream version');
    expect(toStreamVersion(0n)).toBe(1);
    expect(toStreamVersion(41n)).toBe(42);
    expect(fromCurrentRevision(4n)).toBe(5);
    expect(fromCurrentRevision('no_stream')).toBe(0);
  });

  it('takes the prepare position as the global position, refusing one beyond what a number holds', () => {
    expect(toGlobalPosition(1234n)).toBe(1234);
    expect(() => toGlobalPosition(2n ** 60n)).toThrow(StoreIntegrityError);
    expect(toReadPosition(1)).toBe('start');
    expect(toReadPosition(1235)).toEqual({ commit: 1234n, prepare: 1234n });
  });

  it('reads the ledger’s events only, not the server’s own nor the append markers', () => {
    expect(isLedgerEvent('SpendRecorded.v1', 'ledger-herts-2017-18')).toBe(true);
    expect(isLedgerEvent('$metadata', '$$ledger-herts')).toBe(false);
    expect(isLedgerEvent('$statsCollected', '$stats-127.0.0.1:2113')).toBe(false);
    expect(isLedgerEvent('AppendMarker.v1', markerStream('k'))).toBe(false);
  });

  it('names an append’s marker stream after the hash of its key, the same every time', () => {
    expect(markerStream('officer:key-1')).toBe(markerStream('officer:key-1'));
    expect(markerStream('officer:key-1')).toMatch(/^bcf-append-[0-9a-f]{64}$/);
    expect(markerStream('officer:key-1')).not.toBe(markerStream('officer:key-2'));
  });

  it('turns a server event into the port’s recorded event, validated, with its chain', () => {
    const metadata = testMetadata('k1');
    const data = { item: 'a', amount: '10.00' };
    const hash = eventHash({
      streamId: 'pool-a',
      streamVersion: 1,
      type: 'ItemAdded.v1',
      data,
      metadata,
      previousHash: GENESIS_HASH,
    });
    const server = {
      streamId: 'pool-a',
      id: deriveEventId('k1', 0),
      revision: 0n,
      type: 'ItemAdded.v1',
      data,
      metadata: { envelope: metadata, previousHash: GENESIS_HASH, hash },
      position: { prepare: 77n },
    };
    expect(fromServerEvent(testCatalogue, server)).toEqual({
      eventId: deriveEventId('k1', 0),
      streamId: 'pool-a',
      streamVersion: 1,
      globalPosition: 77,
      type: 'ItemAdded.v1',
      data,
      metadata,
      previousHash: GENESIS_HASH,
      hash,
    });
    expect(() =>
      fromServerEvent(testCatalogue, { ...server, data: { item: 'a', amount: 10 } }),
    ).toThrow(StoreIntegrityError);
    expect(() =>
      fromServerEvent(testCatalogue, { ...server, metadata: { envelope: metadata } }),
    ).toThrow('does not fit the envelope');
  });

  it('maps the server’s wrong expected version to the port’s, with the version counted from 1', () => {
    const raced = new ServerWrongExpectedVersion(undefined, {
      streamName: 'ledger-herts-2017-18',
      expected: 4n,
      current: 6n,
    });
    const mapped = toPortAppendError(raced, 'ledger-herts-2017-18', 5);
    expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
    expect(mapped).toMatchObject({
      streamId: 'ledger-herts-2017-18',
      expectedVersion: 5,
      actualVersion: 7,
    });
    const vanished = new ServerWrongExpectedVersion(undefined, {
      streamName: 'ledger-herts-2017-18',
      expected: 0n,
      current: 'no_stream',
    });
    expect(toPortAppendError(vanished, 'ledger-herts-2017-18', 1)).toMatchObject({
      actualVersion: 0,
    });
    const other = new ServerStreamNotFound(undefined as never);
    expect(toPortAppendError(other, 'ledger-herts-2017-18', 1)).toBe(other);
  });

  it('settles an append whose process died between its intent and its result by the event ids', () => {
    const key = 'request-7f3a';
    // The key's own first event at the version the intent named: it was recorded.
    expect(intentOutcome(deriveEventId(key, 0), key)).toBe('recorded');
    // Another writer's event there: that version is taken, this append will never be there.
    expect(intentOutcome(deriveEventId('another-request', 0), key)).toBe('superseded');
    // The key's second event is not its first: the append did not start at that version.
    expect(intentOutcome(deriveEventId(key, 1), key)).toBe('superseded');
    // Nothing there yet: not recorded (a retry writes at the same version with the same ids).
    expect(intentOutcome(undefined, key)).toBe('not-yet');

    const intent = {
      streamId: 'ledger-herts-2017-18',
      fromVersion: 41,
      eventCount: 3,
      digest: 'd',
    };
    expect(recordedFromIntent(intent, 9_000, 9_400)).toEqual({
      streamId: 'ledger-herts-2017-18',
      streamVersion: 44,
      firstPosition: 9_000,
      lastPosition: 9_400,
      eventCount: 3,
      digest: 'd',
    });
  });

  it('reads $all from just before a position, then from the position itself if the server refuses', () => {
    // The first page of the log starts at the start; nothing comes before it to try.
    expect(readPositionsFor(1)).toEqual(['start']);
    // After a page whose last event was at 4711 (nextPosition 4712): that event, read again
    // and skipped, starts a record; 4712 is inside it. An event looked up by its own position
    // 4712 is the other way round. Both are offered, in that order.
    expect(readPositionsFor(4712)).toEqual([
      { commit: 4711n, prepare: 4711n },
      { commit: 4712n, prepare: 4712n },
    ]);
    expect(readPositionsFor(4712)[0]).toEqual(toReadPosition(4712));
    // The server's refusal of a position inside a record, as the client (6.2) passes it on.
    const refused = new Error('3 INVALID_ARGUMENT: Trying to read from an invalid position.');
    expect(isInvalidPositionError(refused)).toBe(true);
    expect(isInvalidPositionError(new Error('14 UNAVAILABLE: No connection established'))).toBe(
      false,
    );
    expect(isInvalidPositionError('invalid position')).toBe(false);
  });

  it('gives each append of a group commit its own first and last position', () => {
    // Three appends written at once, of 1, 3 and 2 events, at these positions in $all.
    const positions = [100, 210, 330, 450, 570, 690];
    expect(appendSpans([1, 3, 2], positions)).toEqual([
      { first: 100, last: 100 },
      { first: 210, last: 450 },
      { first: 570, last: 690 },
    ]);
    expect(appendSpans([2], [7, 9])).toEqual([{ first: 7, last: 9 }]);
    // A position the server did not give is 0, never another append's.
    expect(appendSpans([1, 1], [5])).toEqual([
      { first: 5, last: 5 },
      { first: 0, last: 0 },
    ]);
  });

  it('leaves a password out of a connection string it prints', () => {
    expect(redactConnectionString('esdb://admin:changeit@node1:2113?tls=true')).toBe(
      'esdb://admin:***@node1:2113?tls=true',
    );
    expect(redactConnectionString('esdb://localhost:2113?tls=false')).toBe(
      'esdb://localhost:2113?tls=false',
    );
  });

  it('refuses to open when no server answers, naming the connection string it tried', async () => {
    const opening = EventStoreDbEventStore.open({
      connectionString: 'esdb://127.0.0.1:1?tls=false',
      catalogue: testCatalogue,
      connectTimeoutMs: 2_000,
    });
    await expect(opening).rejects.toBeInstanceOf(EventStoreDbUnreachableError);
    await expect(opening).rejects.toThrow(
      'could not reach EventStoreDB at esdb://127.0.0.1:1?tls=false',
    );
  });
});
