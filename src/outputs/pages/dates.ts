const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(
  date: Date,
  timeZone: string,
): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Digits only: no month names or locale punctuation, which change between ICU versions.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(date).map((part) => [part.type, part.value]));
  return {
    year: String(parts.year).padStart(4, '0'),
    month: String(parts.month),
    day: String(parts.day),
    hour: String(parts.hour),
    minute: String(parts.minute),
  };
}

/** The day of an instant in a time zone, as `YYYY-MM-DD`: what a reader of the site sees. */
export function displayDay(date: Date, timeZone: string): string {
  const { year, month, day } = wallClock(date, timeZone);
  return `${year}-${month}-${day}`;
}

/**
 * The day and time of an instant in a time zone, with the zone's offset at that instant:
 * `YYYY-MM-DD HH:MM UTC`, `YYYY-MM-DD HH:MM UTC-05:00`.
 */
export function displayDayTime(date: Date, timeZone: string): string {
  const { year, month, day, hour, minute } = wallClock(date, timeZone);
  const wall = new Date(
    Date.UTC(2000, Number(month) - 1, Number(day), Number(hour), Number(minute)),
  ).setUTCFullYear(Number(year));
  const instant = Math.floor(date.getTime() / 60_000) * 60_000;
  const offset = Math.round((wall - instant) / 60_000);
  const zone =
    offset === 0
      ? 'UTC'
      : `UTC${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  return `${year}-${month}-${day} ${hour}:${minute} ${zone}`;
}
