import { wallClockAt, zoneOffsetMinutes } from '../../schema/time-zone';

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** The day of an instant in a time zone, as `YYYY-MM-DD`: what a reader of the site sees. */
export function displayDay(date: Date, timeZone: string): string {
  const { year, month, day } = wallClockAt(date, timeZone);
  return `${String(year).padStart(4, '0')}-${twoDigits(month)}-${twoDigits(day)}`;
}

/**
 * The day and time of an instant in a time zone, with the zone's offset at that instant:
 * `YYYY-MM-DD HH:MM UTC`, `YYYY-MM-DD HH:MM UTC-05:00`.
 */
export function displayDayTime(date: Date, timeZone: string): string {
  const { hour, minute } = wallClockAt(date, timeZone);
  const offset = zoneOffsetMinutes(date, timeZone);
  const zone =
    offset === 0
      ? 'UTC'
      : `UTC${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  return `${displayDay(date, timeZone)} ${twoDigits(hour)}:${twoDigits(minute)} ${zone}`;
}
