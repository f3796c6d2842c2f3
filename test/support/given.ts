import { expect } from 'vitest';
import { type AccessCommand, accessDecider } from '../../src/commands/access/access-decider.ts';
import type { Decision, DomainError } from '../../src/commands/decider.ts';
import { type PoolCommand, poolDecider } from '../../src/commands/pool/pool-decider.ts';
import type { AccessEvent, LedgerEvent, PoolEvent } from '../../src/events/catalogue/index.ts';
import { decideLedger, foldPool, type LedgerCommandWithoutContext, poolSetUp } from './domain.ts';

/**
 * Rule tests as the rule reads: given these events, when this command, then these events, this
 * refusal, or nothing at all.
 *
 *   given({ ledger: linesAllocated }).when(spend).then(ledgerEvent('SpendRecorded.v1', {...}));
 *   given({ ledger: [] }).when(spend).thenRefused('scheme-line-unknown', 'schemeId');
 */
export interface Scenario<Command, Event> {
  when(command: Command): Outcome<Event>;
}

export interface Outcome<Event> {
  /** The decision itself, for a test that looks at more than events or the refusal's code. */
  readonly decision: Decision<Event>;
  then(...events: Event[]): void;
  /** Accepted, recording events that match these (each only in the fields it gives), in order. */
  thenRecords(...events: unknown[]): void;
  /** Refused with this code, naming this field (and value) when given; returns the refusal. */
  thenRefused(code: string, field?: string, value?: string): DomainError;
  /** Accepted, and nothing to record: it was already so. */
  thenNothing(): void;
}

function scenario<Command, Event>(decide: (command: Command) => Decision<Event>) {
  return {
    when(command: Command): Outcome<Event> {
      const decision = decide(command);
      return {
        decision,
        // biome-ignore lint/suspicious/noThenProperty: given/when/then is the rule tests' vocabulary; an outcome is never awaited.
        then: (...events) => expect(decision).toEqual({ ok: true, events }),
        thenRecords(...events) {
          if (!decision.ok)
            throw new Error(
              `expected it accepted, but: ${decision.error.code}: ${decision.error.message}`,
            );
          expect(decision.events).toHaveLength(events.length);
          expect(decision).toMatchObject({ ok: true, events });
        },
        thenRefused(code, field, value) {
          if (decision.ok)
            throw new Error(
              `expected a refusal "${code}", but it was accepted: ${JSON.stringify(decision.events)}`,
            );
          expect(decision.error.code, decision.error.message).toBe(code);
          if (field !== undefined) expect(decision.error.field).toBe(field);
          if (value !== undefined) expect(decision.error.value).toBe(value);
          expect(decision.error.message.length).toBeGreaterThan(10);
          return decision.error;
        },
        thenNothing: () => expect(decision).toEqual({ ok: true, events: [] }),
      };
    },
  };
}

/** A pool-year's ledger: the pool's events (the test pool by default) and the ledger's own. */
export function given(history: {
  readonly pool?: readonly PoolEvent[];
  readonly ledger?: readonly LedgerEvent[];
}): Scenario<LedgerCommandWithoutContext & { poolId?: string; year?: string }, LedgerEvent> {
  return scenario((command) => decideLedger(history, command));
}

/** A pool's own stream: its events (the test pool's set-up by default). */
export function givenPool(
  events: readonly PoolEvent[] = poolSetUp,
): Scenario<PoolCommand, PoolEvent> {
  return scenario((command) => poolDecider.decide(command, foldPool(events)));
}

/** The access stream's events. */
export function givenAccess(events: readonly AccessEvent[]): Scenario<AccessCommand, AccessEvent> {
  return scenario((command) =>
    accessDecider.decide(
      command,
      events.reduce(
        (state, event) => accessDecider.evolve(state, event),
        accessDecider.initialState(),
      ),
    ),
  );
}
