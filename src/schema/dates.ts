import { z } from 'zod';
import { type WallClock, zoneOffsetMinutes } from './time-zone';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** A date as written in front matter, split into its parts. */
export interface DateParts extends WallClock {
  millisecond: number;
  /** Minutes east of UTC when the text carries an offset, `undefined` when it is local time. */
  offsetMinutes: number | undefined;
  dateOnly: boolean;
}

/**
 * Parses `2012-03-13`, or an RFC 3339 date-time (`2012-03-13T09:30:00Z`, `2012-03-13 09:30+01:00`).
 * A date-time without an offset is local time in the site's time zone. Returns `undefined` when the
 * text is not such a date or names a day or time that does not exist.
 */
export function parseDateParts(text: string): DateParts | undefined {
  const dateOnly = DATE_ONLY.exec(text);
  const match = dateOnly ?? DATE_TIME.exec(text);
  if (!match) return undefined;
  // Indexes, not destructuring: every post and comment is parsed (twice), and a pattern allocates.
  const fraction = match[7];
  const zulu = match[8];
  const sign = match[9];
  const parts: DateParts = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4] ?? '0'),
    minute: Number(match[5] ?? '0'),
    second: Number(match[6] ?? '0'),
    millisecond: fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0,
    offsetMinutes: zulu
      ? 0
      : sign
        ? (sign === '-' ? -1 : 1) * (Number(match[10]) * 60 + Number(match[11]))
        : undefined,
    dateOnly: Boolean(dateOnly),
  };
  if (
    parts.month < 1 ||
    parts.month > 12 ||
    parts.day < 1 ||
    parts.day > daysInMonth(parts.year, parts.month)
  )
    return undefined;
  if (parts.hour > 23 || parts.minute > 59 || parts.second > 60) return undefined;
  if (parts.offsetMinutes !== undefined && Math.abs(parts.offsetMinutes) >= 24 * 60) return undefined;
  return parts;
}

/**
 * Days in a month of the Gregorian calendar (`month` 1–12), as `Date.UTC(year, month, 0)` counts them:
 * a year 0–99 is read as 1900–1999 there, and so here (front matter refuses those years).
 */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  const gregorian = year >= 0 && year <= 99 ? 1900 + year : year;
  const leap = gregorian % 4 === 0 && (gregorian % 100 !== 0 || gregorian % 400 === 0);
  return leap ? 29 : 28;
}

/** The instant a parsed date names, reading local times in the IANA `timeZone`. */
export function datePartsToInstant(parts: DateParts, timeZone: string): Date {
  const wall = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    Math.min(parts.second, 59),
    parts.millisecond,
  );
  if (parts.offsetMinutes !== undefined) return new Date(wall - parts.offsetMinutes * 60_000);
  return new Date(wallTimeToInstant(wall, timeZone));
}

const DAY_MS = 86_400_000;

/**
 * The instant at which a clock in `timeZone` shows `wall` (a wall time counted as if it were UTC),
 * with Temporal's "compatible" disambiguation: a wall time that the clocks skip (a gap, as at
 * midnight in America/Santiago on 2024-09-08) is read with the offset before the change, so it names
 * the instant after the gap (00:00 → 01:00); a wall time shown twice (a fold) names the earlier.
 */
function wallTimeToInstant(wall: number, timeZone: string): number {
  // Daylight-saving changes are months apart: the offsets a day either side are those before and
  // after any change near `wall`.
  const before = zoneOffsetMinutes(wall - DAY_MS, timeZone);
  const after = zoneOffsetMinutes(wall + DAY_MS, timeZone);
  const earlier = wall - Math.max(before, after) * 60_000;
  const later = wall - Math.min(before, after) * 60_000;
  if (zoneOffsetMinutes(earlier, timeZone) === Math.max(before, after)) return earlier;
  if (zoneOffsetMinutes(later, timeZone) === Math.min(before, after)) return later;
  // In a gap: the offset before the change, moving the time forward by the gap's length.
  return wall - before * 60_000;
}

/** Whether `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Whether `tag` is a well-formed BCP 47 language tag. */
export function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/**
 * A date in front matter: `2012-03-13` or an RFC 3339 date-time. YAML 1.1 timestamps that a parser
 * already turned into a `Date` are accepted too. The output is the text, normalised; the loader turns
 * it into an instant with the site's time zone.
 */
export const frontMatterDate = z
  .custom<string | Date>((value) => typeof value === 'string' || value instanceof Date, {
    // A number (`date: 1704103200`), a list or a mapping: said in words, not zod's "Invalid input".
    message: 'must be a date such as 2012-03-13 or 2012-03-13T09:30:00Z',
    params: { broadsheetCode: 'invalid-date' },
  })
  .transform((value, context) => {
    const text = value instanceof Date ? value.toISOString() : value.trim();
    const parts = parseDateParts(text);
    const problem = !parts
      ? `"${text}" is not a valid date (use 2012-03-13 or 2012-03-13T09:30:00Z)`
      : parts.year < 100
        ? `"${text}" is before the year 0100, which is not supported`
        : parts.second === 60
          ? `"${text}" is a leap second (:60), which cannot be published exactly: use :59`
          : undefined;
    if (problem) {
      context.addIssue({ code: 'custom', message: problem, params: { broadsheetCode: 'invalid-date' } });
      return z.NEVER;
    }
    return text;
  });

/** A comment's date: an RFC 3339 date-time (a date alone is not precise enough to thread). */
export const frontMatterDateTime = frontMatterDate.refine((text) => !DATE_ONLY.test(text), {
  message: 'needs a time as well as a day, such as 2012-03-13T09:30:00Z',
  params: { broadsheetCode: 'invalid-date' },
});
