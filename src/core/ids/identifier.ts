/**
 * The one rule for identifiers that people and other systems choose: rep, manager, booking, customer, plan and payroll
 * reference ids. An id starts with a letter or digit and goes on with letters, digits and `. _ : -`, 64 characters at
 * most (ASCII only).
 *
 * Why so strict: ids travel into file names (statements), CSV cells (exports), HTTP headers (Content-Disposition),
 * URLs, audit records and log lines. An id that cannot hold a slash, a quote, a control character, a leading `=`/`+`/
 * `-`/`@` or a look-alike full-width letter is safe in all of them without escaping each time, and two ids that look
 * the same are the same.
 *
 * The rule is fixed, not configurable: the database enforces the same pattern in CHECK constraints (migration
 * 1768089600000-identifiers), and a setting that let the service accept what the database refuses would only move
 * the error from the import report to a failed transaction.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** The same pattern for PostgreSQL's CHECK constraints: it uses only syntax that both regex engines read alike. */
export const ID_PATTERN_SQL = ID_PATTERN.source;

export const ID_RULE = 'start with a letter or digit, then letters, digits, ".", "_", ":" or "-", at most 64 characters';

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** Why `value` is not an id, in words, or null when it is one. Control characters are shown escaped. */
export function idProblem(value: string): string | null {
  if (ID_PATTERN.test(value)) return null;
  if (value.length > 64) return `is ${value.length} characters long; an id has at most 64`;
  return `"${printable(value)}" is not a valid id (${ID_RULE})`;
}

/** A value with control characters and non-ASCII shown as escapes, cut to 80 characters, for error messages. */
export function printable(value: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = value.slice(0, 80).replace(/[\u0000-\u001f\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return value.length > 80 ? `${escaped}…` : escaped;
}
