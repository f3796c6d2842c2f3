import type { z } from 'zod';

/**
 * The event catalogue: one zod schema for each versioned event type. The store validates every
 * event against it when the event is appended and again when it is read, so nothing malformed
 * gets into the log and nothing malformed comes out of it.
 */
export class EventCatalogue {
  readonly #schemas: ReadonlyMap<string, z.ZodType>;

  constructor(schemas: Readonly<Record<string, z.ZodType>>) {
    this.#schemas = new Map(Object.entries(schemas));
  }

  has(type: string): boolean {
    return this.#schemas.has(type);
  }

  types(): string[] {
    return [...this.#schemas.keys()];
  }

  /** The schema of an event type, for a hot path that calls it directly; undefined when unknown. */
  schemaFor(type: string): z.ZodType | undefined {
    return this.#schemas.get(type);
  }

  /** Why the data does not fit the type's schema, for an error message. */
  explain(type: string, data: unknown): string {
    const result = this.parse(type, data);
    return result.ok ? `${type} data fits its schema` : result.message;
  }

  /** The event's data parsed by its schema, or a message saying why it does not fit. */
  parse(type: string, data: unknown): { ok: true; data: unknown } | { ok: false; message: string } {
    const schema = this.#schemas.get(type);
    if (schema === undefined)
      return { ok: false, message: `"${type}" is not an event type of the catalogue` };
    const result = schema.safeParse(data);
    if (result.success) return { ok: true, data: result.data };
    const issues = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`,
    );
    return { ok: false, message: `${type} data does not fit its schema: ${issues.join('; ')}` };
  }
}
