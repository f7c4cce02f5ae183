import { z } from 'zod';
import { zoneOffsetMinutes } from '../site/time-zone';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** A date as written in front matter, split into its parts. */
export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
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
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction, zulu, sign, offH, offM] = match;
  const parts: DateParts = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    millisecond: fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0,
    offsetMinutes: zulu ? 0 : sign ? (sign === '-' ? -1 : 1) * (Number(offH) * 60 + Number(offM)) : undefined,
    dateOnly: Boolean(dateOnly),
  };
  const daysInMonth = new Date(Date.UTC(parts.year, parts.month, 0)).getUTCDate();
  if (parts.month < 1 || parts.month > 12 || parts.day < 1 || parts.day > daysInMonth) return undefined;
  if (parts.hour > 23 || parts.minute > 59 || parts.second > 60) return undefined;
  if (parts.offsetMinutes !== undefined && Math.abs(parts.offsetMinutes) >= 24 * 60) return undefined;
  return parts;
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
  let instant = wall - zoneOffsetMinutes(wall, timeZone) * 60_000;
  // A second pass settles times next to a daylight-saving change.
  instant = wall - zoneOffsetMinutes(instant, timeZone) * 60_000;
  return new Date(instant);
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
export const frontMatterDate = z.union([z.string(), z.date()]).transform((value, context) => {
  const text = value instanceof Date ? value.toISOString() : value.trim();
  if (!parseDateParts(text)) {
    context.addIssue({
      code: 'custom',
      message: `"${text}" is not a valid date (use 2012-03-13 or 2012-03-13T09:30:00Z)`,
      params: { broadsheetCode: 'invalid-date' },
    });
    return z.NEVER;
  }
  return text;
});

/** A comment's date: an RFC 3339 date-time (a date alone is not precise enough to thread). */
export const frontMatterDateTime = frontMatterDate.refine((text) => !DATE_ONLY.test(text), {
  message: 'needs a time as well as a day, such as 2012-03-13T09:30:00Z',
  params: { broadsheetCode: 'invalid-date' },
});
