import type { EventStore } from '../../src/events/store/port.ts';

/**
 * The store with some of its methods replaced: a way to put a delay or a fault in front of an
 * append, or to leave the store open when its wrapper is closed. The others go to the store itself.
 */
export function storeWith(store: EventStore, overrides: Partial<EventStore>): EventStore {
  return {
    append: store.append.bind(store),
    appendAll: store.appendAll.bind(store),
    readStream: store.readStream.bind(store),
    streamVersion: store.streamVersion.bind(store),
    readAll: store.readAll.bind(store),
    headPosition: store.headPosition.bind(store),
    appendedThrough: store.appendedThrough.bind(store),
    subscribe: store.subscribe.bind(store),
    findAppend: store.findAppend.bind(store),
    close: store.close.bind(store),
    ...overrides,
  };
}
