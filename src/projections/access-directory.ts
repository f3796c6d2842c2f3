import { ACCESS_STREAM_ID, type AccessEvent, type UserRole } from '../events/catalogue/index.ts';
import type { RecordedEvent } from '../events/envelope.ts';
import { type EventStore, STORE_LIMITS } from '../events/store/port.ts';
import { type AccessState, evolveAccess, initialAccessState } from '../rules/access-register.ts';
import { parseToken, secretMatches } from '../rules/credentials.ts';

/** Who made a request: the user a valid token belongs to, and the token it came with. */
export interface Identity {
  readonly userId: string;
  readonly role: UserRole;
  readonly pools: '*' | readonly string[];
  readonly tokenId: string;
}

/**
 * The users and tokens as the access stream says now, for authenticating requests. It reads only
 * the events recorded since it last looked, so a token issued by another instance works at once
 * and a revoked one stops at once, without going through the write side.
 */
export class AccessDirectory {
  readonly #store: EventStore;
  #state: AccessState = initialAccessState();
  #version = 0;
  /** The store's change mark when the register was last brought up to date. */
  #mark: string | undefined;

  constructor(store: EventStore) {
    this.#store = store;
  }

  /** The access register as it stands now. Read it; never change it. */
  async current(): Promise<AccessState> {
    // Taken before reading: anything appended meanwhile moves it, and is read next time.
    const mark = this.#store.changeMark?.();
    if (mark !== undefined && mark === this.#mark) return this.#state;
    if ((await this.#store.streamVersion(ACCESS_STREAM_ID)) !== this.#version)
      await readAccess(this.#store, this.#version + 1, (event) => {
        this.#state = evolveAccess(this.#state, event as unknown as AccessEvent);
        this.#version = event.streamVersion;
      });
    this.#mark = mark;
    return this.#state;
  }

  /** The access register as it stood at a moment (recorded time, UTC). */
  async asAt(moment: string): Promise<AccessState> {
    let state = initialAccessState();
    await readAccess(this.#store, 1, (event) => {
      if (event.metadata.recordedAt <= moment)
        state = evolveAccess(state, event as unknown as AccessEvent);
    });
    return state;
  }

  /** The identity a bearer token proves, or undefined for a token that proves none. */
  async authenticate(bearer: string): Promise<Identity | undefined> {
    const parsed = parseToken(bearer);
    if (parsed === undefined) return undefined;
    const state = await this.current();
    const userId = state.tokenOwners.get(parsed.tokenId);
    const user = userId === undefined ? undefined : state.users.get(userId);
    const token = user?.tokens.get(parsed.tokenId);
    if (user === undefined || token === undefined || token.revoked || !user.active)
      return undefined;
    if (!secretMatches(parsed.secret, token.secretHash)) return undefined;
    return { userId: user.userId, role: user.role, pools: user.pools, tokenId: parsed.tokenId };
  }
}

async function readAccess(
  store: EventStore,
  fromVersion: number,
  each: (event: RecordedEvent) => void,
): Promise<void> {
  for (let from = fromVersion; ; ) {
    const events = await store.readStream(ACCESS_STREAM_ID, {
      fromVersion: from,
      limit: STORE_LIMITS.maxPageSize,
    });
    for (const event of events) each(event);
    if (events.length < STORE_LIMITS.maxPageSize) return;
    from = (events.at(-1)?.streamVersion ?? from) + 1;
  }
}
