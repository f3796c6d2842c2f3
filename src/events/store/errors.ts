import type { ExpectedVersion } from './port.ts';

/** The store's refusals. Each is a fact about the request, never a failure of the store itself. */
export class WrongExpectedVersionError extends Error {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly actualVersion: number;

  constructor(streamId: string, expectedVersion: ExpectedVersion, actualVersion: number) {
    super(
      `stream "${streamId}" is at version ${actualVersion}, not ${String(expectedVersion)}: someone else recorded something first`,
    );
    this.name = 'WrongExpectedVersionError';
    this.streamId = streamId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

export class IdempotencyKeyReusedError extends Error {
  readonly idempotencyKey: string;

  constructor(idempotencyKey: string) {
    super(`idempotency key "${idempotencyKey}" was already used for a different request`);
    this.name = 'IdempotencyKeyReusedError';
    this.idempotencyKey = idempotencyKey;
  }
}

/** The events offered for append do not fit the envelope or the catalogue. */
export class InvalidAppendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}

/** A stored event no longer fits its schema or the store's structure: the log needs an auditor. */
export class StoreIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreIntegrityError';
  }
}

/** The store could not be opened with the durability a ledger needs. */
export class StoreDurabilityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreDurabilityError';
  }
}

export class StoreClosedError extends Error {
  constructor() {
    super('the event store is closed');
    this.name = 'StoreClosedError';
  }
}

/** One append of a batch carries a key that is already stored: nothing of the batch was written. */
export class AppendBatchKeyExistsError extends Error {
  readonly idempotencyKey: string;

  constructor(idempotencyKey: string) {
    super(`idempotency key "${idempotencyKey}" is already stored; append the batch one by one`);
    this.name = 'AppendBatchKeyExistsError';
    this.idempotencyKey = idempotencyKey;
  }
}
