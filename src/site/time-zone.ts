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

/** What a clock in the IANA `timeZone` shows at `instant` (milliseconds are dropped). */
export function wallClockAt(instant: Date | number, timeZone: string): WallClock {
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
