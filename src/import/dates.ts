const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
const MYSQL_DATE_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/**
 * A date from an export as an RFC 3339 date-time, or `undefined` when it is missing or not a date.
 * RFC 3339 text is kept as written (its offset too, so the day stays the author's); a MySQL
 * `2012-03-13 16:00:00` (WordPress's `*_gmt` fields) is read as UTC; anything else `Date` can read
 * (RFC 822 in RSS) becomes UTC. WordPress's `0000-00-00 00:00:00` is no date.
 *
 * @example
 * ```ts
 * exportDate('Tue, 13 Mar 2012 16:00:00 +0000'); // '2012-03-13T16:00:00Z'
 * ```
 */
export function exportDate(text: string | undefined): string | undefined {
  const value = text?.trim();
  if (!value || value.startsWith('0000-00-00')) return undefined;
  if (RFC3339.test(value)) return Number.isNaN(Date.parse(value)) ? undefined : value.toUpperCase();
  const mysql = MYSQL_DATE_TIME.exec(value);
  if (mysql) {
    const iso = `${mysql[1]}T${mysql[2]}Z`;
    return Number.isNaN(Date.parse(iso)) ? undefined : iso;
  }
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : isoSeconds(new Date(time));
}

/** `2012-03-13T16:00:00Z`: an instant in UTC, milliseconds only when it has some. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}
