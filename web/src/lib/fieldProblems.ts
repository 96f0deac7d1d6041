// A 422's `errors` ({location, message, type} per field, from pydantic) mapped to the form's
// fields, in Bahasa Indonesia: the API's messages are English (they are for programs), so the
// field's message is chosen by the error's type; an unknown type keeps the API's own message.
// A problem of a field the form does not show goes to the form's top, never lost.

import { ApiError } from '../api/client';
import { o } from '../strings.office';
import { errorWords, problemWords } from './problems';

export interface FieldProblem {
  location?: string;
  message?: string;
  type?: string;
  ctx?: Record<string, unknown>;
}

export interface FormProblems {
  /** Field name (the body's top-level key, or `key.index.sub` as the form names it) → words. */
  fields: Record<string, string>;
  /** What belongs to no shown field (or a refusal that is not per field). */
  general: string[];
}

/** `body.recipients.0.unit_id` → `recipients.0.unit_id`; `body` alone → ``. */
export function fieldName(location: string | undefined): string {
  const parts = (location ?? '').split('.');
  if (parts[0] === 'body') parts.shift();
  return parts.join('.');
}

/** The words for one field problem: by pydantic's error type, else the API's message. */
export function describe(problem: FieldProblem): string {
  const type = problem.type ?? '';
  const max = problem.ctx?.['max_length'];
  if (type === 'missing') return o.field.required;
  if (type === 'string_too_long') return o.field.tooLong(typeof max === 'number' ? max : '…');
  if (type === 'string_too_short') return o.field.required;
  if (type === 'string_pattern_mismatch') return o.field.pattern;
  if (type.startsWith('date') || type.startsWith('datetime')) return o.field.date;
  if (type === 'int_parsing' || type === 'int_type' || type === 'float_parsing') return o.field.number;
  if (type.startsWith('greater_than') || type.startsWith('less_than')) return o.field.numberRange;
  if (type === 'enum' || type === 'literal_error') return o.field.choice;
  if (type === 'extra_forbidden') return o.field.unknownField;
  if (type === 'too_short') return o.field.listShort;
  if (type === 'too_long') return o.field.listLong;
  return problem.message || o.field.invalid;
}

/**
 * Spread an API error over a form. `known` are the form's field names; a problem of
 * `recipients.0.unit_id` goes to `recipients.0.unit_id` if the form has it, else to
 * `recipients.0`, else to `recipients`, else to the top.
 */
export function formProblems(error: unknown, known: readonly string[]): FormProblems {
  const result: FormProblems = { fields: {}, general: [] };
  if (!(error instanceof ApiError)) {
    if (error) result.general.push(errorWords(error));
    return result;
  }
  const items = error.errors;
  if (error.status !== 422 || items.length === 0) {
    result.general.push(problemWords(error));
    return result;
  }
  for (const item of items) {
    const name = closest(fieldName(item.location), known);
    const words = describe(item);
    if (name === null) result.general.push(words);
    else if (!result.fields[name]) result.fields[name] = words;
  }
  if (Object.keys(result.fields).length > 0 && result.general.length === 0) {
    result.general.push(o.field.fixBelow);
  }
  return result;
}

function closest(name: string, known: readonly string[]): string | null {
  const parts = name.split('.');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('.');
    if (known.includes(candidate)) return candidate;
  }
  return null;
}
