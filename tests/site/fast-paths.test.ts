import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wallClockAt } from '../../src/schema/time-zone';
import { absoluteUrl } from '../../src/site/paths';

/** What `new URL` gives (or that it throws), which the fast path must reproduce. */
function viaUrl(relative: string, base: string): string {
  try {
    return new URL(relative, base).href;
  } catch {
    return 'throws';
  }
}

function viaAbsoluteUrl(relative: string, base: string): string {
  try {
    return absoluteUrl(base, relative);
  } catch {
    return 'throws';
  }
}

describe('absoluteUrl', () => {
  it('gives what new URL gives for any relative path and base', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~%é?#:@!$&'()*+,;=\\ -]{0,6}$/);
    const base = fc.constantFrom(
      'https://a.example/',
      'https://a.example/blog/',
      'https://A.example/x/',
      'http://a.example:80/',
      'https://a.example/b?x',
      'https://a.example/b#f',
      'https://a.example/%7e/',
      'https://a.example/a b/',
      'https://a.example',
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 5 }), base, fc.boolean(), (segments, site, slash) => {
        const relative = segments.join('/') + (slash ? '/' : '');
        expect(viaAbsoluteUrl(relative, site)).toBe(viaUrl(relative, site));
      }),
      { numRuns: 20_000 },
    );
  });

  it('resolves the paths outputs use', () => {
    expect(absoluteUrl('https://a.example/blog/', 'posts/hello/')).toBe(
      'https://a.example/blog/posts/hello/',
    );
    expect(absoluteUrl('https://a.example/blog/', '')).toBe('https://a.example/blog/');
    expect(absoluteUrl('https://a.example/blog/', 'tags/café/')).toBe(
      'https://a.example/blog/tags/caf%C3%A9/',
    );
    expect(absoluteUrl('https://a.example/blog/', '../up')).toBe('https://a.example/up');
  });
});

describe('wallClockAt', () => {
  const intlClock = (instant: number, timeZone: string) => {
    const formatter = new Intl.DateTimeFormat('en-US', {
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
    const fields: Record<string, number> = {};
    for (const part of formatter.formatToParts(new Date(instant))) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    return fields;
  };

  it('reads UTC without ICU exactly as ICU does, for instants from 1812 to 2128', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5e12, max: 5e12 }),
        fc.constantFrom('UTC', 'Etc/UTC'),
        (instant, zone) => {
          expect(wallClockAt(instant, zone)).toEqual(intlClock(instant, zone));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('gives the same clock again for a remembered instant, and callers cannot change it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5e12, max: 5e12 }),
        fc.constantFrom('America/New_York', 'Asia/Kolkata', 'Europe/Amsterdam'),
        (instant, zone) => {
          const first = wallClockAt(instant, zone);
          first.year = -1;
          expect(wallClockAt(instant, zone)).toEqual(intlClock(instant, zone));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
