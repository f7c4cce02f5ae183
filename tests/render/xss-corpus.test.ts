import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMarkdownRenderer, type Trust } from '../../src/index';
import { findViolations } from './safety';

interface Payload {
  title: string;
  payload: string;
}

// A copy of the shared corpus (../shared/corpora/xss-payloads.json), so the test runs anywhere.
const payloads = JSON.parse(
  readFileSync(new URL('./xss-payloads.json', import.meta.url), 'utf8'),
) as Payload[];
const PAGE = 'https://example.com/blog/posts/x/';

/** Each way a payload is put into a document. */
const embeddings: Record<string, (payload: string) => string> = {
  'raw HTML block': (p) => `Before.\n\n${p}\n\nAfter.`,
  'raw HTML inline': (p) => `Before ${p} after.`,
  'link destination': (p) => `[x](${p})`,
  'link destination in <>': (p) => `[x](<${p}>)`,
  'image destination': (p) => `![x](${p})`,
  'image destination in <>': (p) => `![x](<${p}>)`,
  'link title': (p) => `[x](https://a.example "${p}")`,
  'image title': (p) => `![x](https://a.example/i.png "${p}")`,
  'reference definition': (p) => `[x] and ![y][x]\n\n[x]: <${p}>`,
};

describe('the XSS corpus', () => {
  it('is the expected corpus', () => {
    expect(payloads).toHaveLength(223);
  });

  it('trips the checker when not sanitised (so the checker can fail)', () => {
    const unsafe = payloads.filter(({ payload }) => findViolations(payload).length > 0);
    expect(unsafe.length).toBeGreaterThan(100);
    expect(findViolations('<a href=" jav&#x09;ascript:alert(1)">x</a>')).toHaveLength(1);
    expect(findViolations('<img src=x onerror=alert(1)>')).toHaveLength(1);
    expect(findViolations('<svg><a xlink:href="javascript:alert(1)">x</a></svg>')).toHaveLength(2);
  });

  for (const trust of ['post', 'comment'] as const satisfies Trust[]) {
    describe(`in a ${trust}`, () => {
      const render = createMarkdownRenderer({ trust });
      for (const [name, embed] of Object.entries(embeddings)) {
        it(`is harmless as ${name}`, async () => {
          const failures: string[] = [];
          for (const { title, payload } of payloads) {
            const markdown = embed(payload);
            for (const url of [PAGE, undefined]) {
              const { html } = await render(markdown, { url });
              const violations = findViolations(html);
              if (violations.length > 0)
                failures.push(`${title} (url: ${url}): ${violations.join('; ')}\n${html}`);
            }
          }
          expect(failures).toEqual([]);
        });
      }
    });
  }
});
