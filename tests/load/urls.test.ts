import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/load-site';
import { apiAuthorSchema, apiPostSchema, apiSiteSchema } from '../../src/outputs/api/schema';
import { authorSchema, postSchema } from '../../src/schema/content';
import { isHttpUrl } from '../../src/schema/urls';
import { lines, NOW, temporarySite } from './helpers';

const NUM_RUNS = Number(process.env.FC_RUNS ?? 250);
const HOSTILE = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'file:///etc/passwd',
  ' https://example.com/a.png',
  '\thttps://example.com/a.png',
  '\u0000https://example.com/a.png',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'https://example.com/a b.png',
  '//evil.example/a.png',
  '\\\\evil.example/a.png',
  'https://user:pass@example.com/',
];

/** Text made of the pieces URL tricks are made of, and any text at all. */
const urlLike = fc.oneof(
  fc
    .array(
      fc.constantFrom(
        'javascript:',
        'java',
        'script:',
        'data:',
        'http:',
        'https:',
        '//',
        '/',
        '\\',
        ' ',
        '\t',
        '\n',
        '\u0000',
        '\u00a0',
        '@',
        ':',
        'user:pass@',
        'example.com',
        'a.png',
        '%0a',
        '#',
        '?',
        '.',
        '..',
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join('')),
  fc.string(),
);

/** What is safe to publish as a link: http(s) as written, or a path with nothing the URL parser would drop. */
function safeToPublish(value: string, base: string): boolean {
  if (/[\s\u0000-\u001f\u007f-\u009f\\]/.test(value) || value.startsWith('//')) return false;
  if (!URL.canParse(value, base)) return false;
  const url = new URL(value, base);
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === ''
  );
}

describe('URL fields are http(s) or a relative path, at load and in the API schemas', () => {
  it('an author avatar or url, a post image or canonical with a hostile value is refused at load', async () => {
    const files: Record<string, string> = {};
    HOSTILE.forEach((value, index) => {
      const yaml = JSON.stringify(value);
      files[`content/authors/a${index}.yaml`] = `name: A\navatar: ${yaml}\nurl: ${yaml}\n`;
      files[`content/posts/p${index}.md`] =
        `---\ntitle: P\ndate: 2020-01-01\nimage: ${yaml}\ncanonical: ${yaml}\n---\n\nText.\n`;
    });
    const root = await temporarySite(files);
    const found = lines(await loadSite({ root, now: NOW, cache: false }));
    // Two refusals for each file, except the relative-looking ones where only the http(s)-only field refuses.
    expect(found.every((line) => line.includes('error invalid-url'))).toBe(true);
    for (const [index, value] of HOSTILE.entries()) {
      expect(
        found.filter((line) => line.startsWith(`content/authors/a${index}.yaml`)),
        value,
      ).toHaveLength(2);
      expect(
        found.filter((line) => line.startsWith(`content/posts/p${index}.md`)),
        value,
      ).toHaveLength(2);
    }
  });

  it('site.url with a user name and password is refused', async () => {
    const root = await temporarySite({
      'broadsheet.config.json': JSON.stringify({
        site: { title: 'T', url: 'https://user:pass@example.com/' },
      }),
    });
    expect(lines(await loadSite({ root, now: NOW }))).toMatchInlineSnapshot(`
      [
        "broadsheet.config.json:1:28: error config-invalid-url: site.url must be an absolute http(s) URL such as https://example.com/",
      ]
    `);
  });

  it('the API schemas refuse every hostile value in every URL field', () => {
    for (const value of HOSTILE) {
      expect(apiAuthorSchema.safeParse({ id: 'a', name: 'A', avatar: value }).success, value).toBe(false);
      expect(apiAuthorSchema.safeParse({ id: 'a', name: 'A', url: value }).success, value).toBe(false);
      expect(apiPostSchema.shape.image.safeParse(value).success, value).toBe(false);
      expect(apiPostSchema.shape.canonical.safeParse(value).success, value).toBe(false);
      expect(apiSiteSchema.shape.url.safeParse(value).success, value).toBe(false);
    }
  });

  it('any text as an author avatar or a post image is refused, or safe to publish', () => {
    const base = 'https://example.com/blog/posts/p/';
    fc.assert(
      fc.property(urlLike, (value) => {
        const avatar = authorSchema.safeParse({ name: 'A', avatar: value }).success;
        const image = postSchema.safeParse({ title: 'T', date: '2020-01-01', image: value }).success;
        if (avatar || image) expect(safeToPublish(value, base), JSON.stringify(value)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('any text the API schemas accept as a URL is an http(s) URL as written', () => {
    fc.assert(
      fc.property(urlLike, (value) => {
        const accepted = apiAuthorSchema.safeParse({ id: 'a', name: 'A', avatar: value }).success;
        expect(accepted).toBe(isHttpUrl(value));
        if (accepted) expect(safeToPublish(value, 'https://example.com/')).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
