/** A calendar day and time of day, as a clock in some time zone shows it. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Zones that are UTC at every instant, read without ICU (`formatToParts` costs ~20 µs a call). */
const UTC_ZONES = new Set([
  'UTC',
  'Etc/UTC',
  'Etc/GMT',
  'GMT',
  'Etc/Universal',
  'Etc/Zulu',
  'Universal',
  'Zulu',
]);

/**
 * Clocks already read, by zone and instant: a site shows each post's date on several pages.
 * Emptied when it grows past {@link MEMO_LIMIT}, so memory stays bounded on very large sites.
 */
const memo = new Map<string, WallClock>();
const MEMO_LIMIT = 50_000;

/** What a clock in the IANA `timeZone` shows at `instant` (milliseconds are dropped). */
export function wallClockAt(instant: Date | number, timeZone: string): WallClock {
  const time = typeof instant === 'number' ? instant : instant.getTime();
  if (UTC_ZONES.has(timeZone) && Number.isFinite(time)) {
    const date = new Date(time);
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
    };
  }
  const key = `${timeZone}\u0000${time}`;
  const known = memo.get(key);
  if (known) return { ...known };
  const clock = readClock(time, timeZone);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, clock);
  return { ...clock };
}

function readClock(instant: number, timeZone: string): WallClock {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Digits only: no month names or locale punctuation, which change between ICU versions.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const fields: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year!,
    month: fields.month!,
    day: fields.day!,
    hour: fields.hour!,
    minute: fields.minute!,
    second: fields.second!,
  };
}

/** How many minutes the IANA `timeZone` is ahead of UTC at `instant`. */
export function zoneOffsetMinutes(instant: Date | number, timeZone: string): number {
  const time = new Date(instant).getTime();
  const clock = wallClockAt(time, timeZone);
  const asUtc = new Date(0).setUTCFullYear(clock.year, clock.month - 1, clock.day);
  const wall = asUtc + ((clock.hour * 60 + clock.minute) * 60 + clock.second) * 1000;
  return Math.round((wall - Math.floor(time / 1000) * 1000) / 60_000);
}
