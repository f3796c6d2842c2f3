import type { z } from 'zod';
import type { CommandInput, Permission } from '../../commands/write-face.ts';
import type { Choices, ReadFace } from '../../projections/read-face.ts';
import type { Person } from '../page-kit.ts';

/**
 * A form is data: the question page's fields, the request schema it is validated with (the
 * API's own, from events/requests/), the stream whose version it is filled in against, and the
 * command it makes. One machine (form-flow.ts) shows, checks and records every form, so each
 * behaves the same way: errors beside the field and in the summary, a check-your-answers page,
 * its own idempotency key, and its version travelling with it as an If-Match does.
 */
/** `list`: several values separated by commas, or `*` for all (a user's pools). */
export type FieldKind = 'text' | 'money' | 'date' | 'textarea' | 'select' | 'yes-no' | 'list';

export interface FieldOption {
  readonly value: string;
  readonly text: string;
}

export interface Field {
  /** The request schema's field. */
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly kind: FieldKind;
  readonly optional?: boolean;
  readonly options?: (context: FormContext) => readonly FieldOption[];
}

/** Where a form is filled in: who, which pool and year, what the path names, what to choose from. */
export interface FormContext {
  readonly person: Person;
  readonly poolId: string;
  readonly year: string;
  readonly choices: Choices;
  /** A fact the path names (the virement being approved, the quarter being closed). */
  readonly subject: string;
}

export type StreamKind = 'pool' | 'ledger' | 'access';

export interface FormSpec {
  readonly slug: string;
  readonly title: string;
  /** What the form does, in a sentence a finance officer reads above the questions. */
  readonly lead: string;
  readonly permission: Permission;
  readonly stream: StreamKind;
  readonly schema: z.ZodType;
  readonly fields: readonly Field[];
  /**
   * Fields of the request that name a new fact (a spend's id): made from the form's own key, so
   * that a person never invents one and the same form sent twice names the same fact.
   */
  readonly newIds?: readonly string[];
  /** A decision: the person gives a reason, which the audit trail shows beside the events. */
  readonly asksReason?: boolean;
  /** Turns a chosen name into what the request holds (a reference list chosen by its name). */
  readonly prepare?: (values: Record<string, unknown>) => Record<string, unknown>;
  readonly toCommand: (values: Record<string, unknown>, context: FormContext) => CommandInput;
  /** The confirmation's heading: "Spend recorded". */
  readonly done: string;
  /**
   * What the decision changes or signs, shown above the questions and on the check page: the
   * request with its figures, the report a close signs and its digest, the waterfall's steps.
   */
  readonly preview?: (read: ReadFace, context: FormContext) => Promise<Preview>;
}

export interface Preview {
  readonly sections: readonly {
    readonly title: string;
    readonly rows: readonly { readonly key: string; readonly value: string }[];
  }[];
  /** Why the decision cannot be taken now, when it cannot: the form is not offered. */
  readonly blocked?: string;
}

/** The choices every ledger form draws from. */
export const choose = {
  scheme: (context: FormContext): readonly FieldOption[] =>
    context.choices.schemes.map(({ schemeId, name }) => ({
      value: schemeId,
      text: `${schemeId}: ${name}`,
    })),
  fundingStream: (context: FormContext): readonly FieldOption[] =>
    context.choices.fundingStreams.map((stream) => ({ value: stream, text: stream })),
  partner: (context: FormContext): readonly FieldOption[] =>
    context.choices.partners.map(({ partnerId, name }) => ({
      value: partnerId,
      text: `${name} (${partnerId})`,
    })),
  metric: (context: FormContext): readonly FieldOption[] =>
    context.choices.metrics.map(({ metricId, name }) => ({ value: metricId, text: name })),
  quarter: (): readonly FieldOption[] =>
    ['Q1', 'Q2', 'Q3', 'Q4'].map((quarter) => ({ value: quarter, text: quarter })),
};
