import type { Field, FormSpec } from './form-spec.ts';

/**
 * From what a browser posts to what the request schema judges, and back. Posted forms carry
 * strings only: an empty answer to an optional question is no answer, yes/no is a boolean, a date
 * is asked as day, month and year (the GOV.UK pattern) and joined as the API writes it, and an
 * amount may be written as finance writes it (£1,234.50), its grouping checked, not guessed.
 */
export type Posted = Readonly<Record<string, string>>;

export interface FieldError {
  readonly name: string;
  readonly message: string;
}

/** The posted body's strings, and nothing else (repeated or nested fields are refused). */
export function postedStrings(body: unknown): Posted {
  const posted: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return posted;
  for (const [key, value] of Object.entries(body))
    if (typeof value === 'string') posted[key] = value;
  return posted;
}

export function answerOf(field: Field, posted: Posted): string {
  if (field.kind !== 'date') return (posted[field.name] ?? '').trim();
  const part = (suffix: string) => (posted[`${field.name}-${suffix}`] ?? '').trim();
  const [day, month, year] = [part('day'), part('month'), part('year')];
  if (day === '' && month === '' && year === '') return '';
  return `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** "£1,234.50" as the API writes it ("1234.50"); anything else is left for the schema to judge. */
export function plainAmount(written: string): string {
  const match = /^(-?)£?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/.exec(written.replace(/^£-/, '-£'));
  if (match === null) return written;
  return `${match[1]}${(match[2] ?? '').replaceAll(',', '')}${match[3] ?? ''}`;
}

/** The request's values from the answers: what the schema parses. */
export function requestValues(spec: FormSpec, posted: Posted): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const answer = answerOf(field, posted);
    if (answer === '') {
      if (!field.optional && field.kind !== 'yes-no') values[field.name] = undefined;
      continue;
    }
    if (field.kind === 'yes-no') values[field.name] = answer === 'yes';
    else if (field.kind === 'money') values[field.name] = plainAmount(answer);
    else if (field.kind === 'list')
      values[field.name] =
        answer === '*'
          ? '*'
          : answer
              .split(',')
              .map((each) => each.trim())
              .filter((each) => each !== '');
    else values[field.name] = answer;
  }
  return spec.prepare === undefined ? values : spec.prepare(values);
}

/** Each problem the schema found, in words beside the question it belongs to. */
export function fieldErrors(
  spec: FormSpec,
  issues: readonly { path: readonly PropertyKey[]; message: string; code?: string }[],
  posted: Posted,
): FieldError[] {
  const errors = new Map<string, string>();
  for (const issue of issues) {
    const name = String(issue.path[0] ?? '');
    const field = spec.fields.find((each) => each.name === name);
    if (field === undefined || errors.has(name)) continue;
    errors.set(name, messageFor(field, issue, answerOf(field, posted)));
  }
  // In the order of the questions, as the error summary lists them.
  return spec.fields.flatMap((field) => {
    const message = errors.get(field.name);
    return message === undefined ? [] : [{ name: field.name, message }];
  });
}

function messageFor(field: Field, issue: { message: string; code?: string }, answer: string) {
  const label = field.label.toLowerCase();
  if (answer === '')
    return field.kind === 'select' || field.kind === 'yes-no'
      ? `Select ${label}`
      : `Enter ${label}`;
  if (field.kind === 'date')
    return `${field.label} must be a real date, for example 30 6 2017 (day, month, year)`;
  if (field.kind === 'select') return `Select ${label} from the list`;
  return `${field.label}: ${issue.message}`;
}

/** Where a field's error is shown: a date's first box, otherwise the field itself. */
export function anchorOf(field: Field | undefined, name: string): string {
  return field?.kind === 'date' ? `#${name}-day` : `#${name}`;
}
