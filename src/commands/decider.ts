import type { DomainEvent } from '../events/envelope.ts';

/**
 * A decider is the whole behaviour of one aggregate as pure functions: no I/O, no clock, no
 * random ids. Time, ids and the actor arrive inside the command.
 *
 * `evolve` may update the state it is given and return it: a ledger's year holds thousands of
 * spend lines, and copying them for every event would make folding quadratic. So every stream
 * starts from a fresh `initialState()`, and only the command handler, which owns the state, calls
 * evolve. `decide` never changes the state.
 */
export interface Decider<Command, State, Event extends DomainEvent> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Decision<Event>;
}

/** A refusal: a stable code, a message a finance officer can act on, and the field and value at fault. */
export interface DomainError {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly value?: string;
}

export type Decision<Event> =
  | { readonly ok: true; readonly events: readonly Event[] }
  | { readonly ok: false; readonly error: DomainError };

export function accept<Event>(...events: Event[]): Decision<Event> {
  return { ok: true, events };
}

export function refuse<Event>(error: DomainError): Decision<Event> {
  return { ok: false, error };
}
