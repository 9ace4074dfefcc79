/**
 * The clock exemptions are judged by, as the user gives it: `KeylessGuardrailsProps.now` and the CLI's
 * `KEYLESS_NOW`. Loads nothing else, so the CLI reads it before the engine. Engine-neutral; internal module.
 */

/**
 * An ISO 8601 date (`2026-06-30`, midnight UTC) or date-time (`2026-06-30T12:00:00Z`) as a `Date`; `undefined`
 * for anything else (another type, another format, a month or time out of range). A day past the end of its month
 * rolls over as `Date` does (`2026-02-30` is 2 March): kept as it always was.
 */
export function parseClock(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
