// Local dates and times in zones with daylight-saving changes: Temporal's "compatible"
// disambiguation (a skipped wall time moves forward by the gap, a repeated one is the earlier).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import { datePartsToInstant, parseDateParts } from '../../src/schema/dates';
import { wallClockAt } from '../../src/schema/time-zone';
import { lines, temporarySite } from '../load/helpers';

const instant = (text: string, zone: string) => datePartsToInstant(parseDateParts(text)!, zone).toISOString();

describe('a local date or time in a zone with daylight-saving changes', () => {
  it('reads a date-only value on a day whose clocks jump forward at midnight as the first instant of that day', () => {
    // Santiago: 2024-09-08 00:00 -04 does not exist; the clocks show 01:00 -03 (04:00Z).
    expect(instant('2024-09-08', 'America/Santiago')).toBe('2024-09-08T04:00:00.000Z');
    expect(wallClockAt(new Date('2024-09-08T04:00:00Z'), 'America/Santiago')).toMatchObject({
      year: 2024,
      month: 9,
      day: 8,
      hour: 1,
    });
  });

  it('moves a skipped time forward by the gap and takes the earlier of a repeated time', () => {
    expect(instant('2024-03-10T02:30:00', 'America/New_York')).toBe('2024-03-10T07:30:00.000Z');
    expect(instant('2024-11-03T01:30:00', 'America/New_York')).toBe('2024-11-03T05:30:00.000Z');
    // Santiago falls back at midnight: 2024-04-06 23:30 is shown at -03 and then at -04.
    expect(instant('2024-04-06T23:30:00', 'America/Santiago')).toBe('2024-04-07T02:30:00.000Z');
    expect(instant('2024-07-01', 'Europe/Paris')).toBe('2024-06-30T22:00:00.000Z');
    expect(instant('2024-01-01T10:00:00', 'UTC')).toBe('2024-01-01T10:00:00.000Z');
  });

  it('gives, for any local time, an instant whose clock shows it, or the time after a gap', () => {
    fc.assert(
      fc.property(
        // The day before a daylight-saving change and the day of it, to the minute.
        fc.constantFrom(
          ['America/Santiago', '2024-09-07'],
          ['America/Santiago', '2024-04-06'],
          ['America/New_York', '2024-03-09'],
          ['America/New_York', '2024-11-02'],
          ['Europe/Paris', '2024-03-30'],
          ['Europe/Paris', '2024-10-26'],
          ['Australia/Lord_Howe', '2024-04-06'],
          ['Australia/Lord_Howe', '2024-10-05'],
          ['Asia/Kolkata', '2024-06-01'],
        ),
        fc.integer({ min: 0, max: 2 * 24 * 60 - 1 }),
        ([zone, day], minutes) => {
          const wall = Date.parse(`${day}T00:00:00Z`) + minutes * 60_000;
          const text = new Date(wall).toISOString().slice(0, 19);
          const result = datePartsToInstant(parseDateParts(text)!, zone).getTime();
          const clock = wallClockAt(result, zone);
          const shown = Date.UTC(
            clock.year,
            clock.month - 1,
            clock.day,
            clock.hour,
            clock.minute,
            clock.second,
          );
          // Either exactly the wall time asked for, or (in a gap) later by at most the gap.
          expect(shown - wall).toBeGreaterThanOrEqual(0);
          expect(shown - wall).toBeLessThanOrEqual(60 * 60_000);
          if (shown !== wall) {
            // A skipped time: no instant shows it (an hour around it shows something else).
            for (let t = result - 3 * 3_600_000; t <= result + 3 * 3_600_000; t += 60_000) {
              const c = wallClockAt(t, zone);
              expect(Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second)).not.toBe(wall);
            }
          } else {
            // A repeated time: the earlier instant.
            const earlier = wallClockAt(result - 3_600_000, zone);
            const earlierShown = Date.UTC(
              earlier.year,
              earlier.month - 1,
              earlier.day,
              earlier.hour,
              earlier.minute,
            );
            expect(earlierShown).not.toBe(wall);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('shows a Santiago post dated 2024-09-08 on that day', async () => {
    const root = await temporarySite({
      'broadsheet.config.json': JSON.stringify({
        site: { title: 'T', url: 'https://example.com/', timezone: 'America/Santiago' },
      }),
      'content/posts/spring.md': '---\ntitle: Spring\ndate: 2024-09-08\n---\n\nHello.\n',
    });
    const result = await loadSite({ root, now: new Date('2025-01-01T00:00:00Z') });
    expect(lines(result)).toEqual([]);
    if (!result.ok) return;
    expect(result.site.posts[0]!.date.toISOString()).toBe('2024-09-08T04:00:00.000Z');
  });
});
