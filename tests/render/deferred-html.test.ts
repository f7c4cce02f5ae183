// The HTML of a cached render kept as its bytes until read (src/render/deferred-html.ts): every
// reader gets the string a plain field would hold, and nothing but a read decodes it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addHtmlOf,
  CachedRender,
  type HeldHtml,
  heldHtml,
  sameHtml,
  withHtmlOf,
  withRenderedComments,
} from '../../src/render/deferred-html';

const FIELDS = { summary: 'A summary', headings: [], wordCount: 3, readingTime: 1 };

/** A render whose HTML is `html`, as the render cache reads it: bytes in a buffer of their own. */
function cached(html: string): CachedRender {
  return new CachedRender(FIELDS, Buffer.from(`{"x":1}\n${html}`, 'utf8').subarray(8));
}

/** A post as renderSite makes it before its HTML is set. */
function postFields() {
  return { slug: 'a', title: 'A', html: '', headings: [], wordCount: 3, comments: [] as { html: string }[] };
}

/** Whether a document's HTML is still undecoded bytes. */
function undecoded(document: { html: string }): boolean {
  return typeof heldHtml(document) !== 'string';
}

describe('deferred HTML', () => {
  it('reads as the string of its bytes, whatever the text (any UTF-8, split anywhere in the buffer)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), (before, html) => {
        const bytes = Buffer.from(`${before}${html}`, 'utf8');
        const render = new CachedRender(FIELDS, bytes.subarray(Buffer.byteLength(before, 'utf8')));
        const post = withHtmlOf(postFields(), render);
        expect(post.html).toBe(html);
        expect(render.html).toBe(html);
      }),
    );
  });

  it('a post given it is the same object as one given the string: fields, order, JSON, spread, clone', () => {
    const html = '<p>Héllo <em>wörld</em> 🌍</p>';
    const plain = withHtmlOf(postFields(), { ...FIELDS, html });
    const render = cached(html);
    const post = withHtmlOf(postFields(), render);
    expect(undecoded(post)).toBe(true);
    expect(Object.keys(post)).toEqual(Object.keys(plain));
    expect(JSON.stringify(post)).toBe(JSON.stringify(plain));
    expect({ ...withHtmlOf(postFields(), cached(html)) }).toEqual(plain);
    expect(structuredClone(withHtmlOf(postFields(), cached(html)))).toEqual(plain);
    expect(Object.getOwnPropertySymbols(post).every((symbol) => !Object.hasOwn({ ...post }, symbol))).toBe(
      true,
    );
    // Read, it is a plain field.
    expect(post.html).toBe(html);
    expect(Object.getOwnPropertyDescriptor(post, 'html')).toEqual({
      value: html,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  });

  it('is decoded by nothing but a read of it', () => {
    const render = cached('<p>x</p>');
    const post = withHtmlOf(postFields(), render);
    void Object.keys(post);
    void post.slug;
    const held = heldHtml(post);
    expect(sameHtml(post, held)).toBe(true);
    expect(undecoded(post)).toBe(true);
    expect({ ...render }).toEqual(FIELDS);
    expect(post.html).toBe('<p>x</p>');
    expect(undecoded(post)).toBe(false);
    expect(sameHtml(post, held)).toBe(true);
  });

  it('a render read before it is copied is copied as its string', () => {
    const render = cached('<p>read</p>');
    expect(render.html).toBe('<p>read</p>');
    const post = withHtmlOf(postFields(), render);
    expect(Object.getOwnPropertyDescriptor(post, 'html')?.value).toBe('<p>read</p>');
  });

  it('an assignment, a defined field or a deletion replaces it, and sameHtml sees it (the same text again is the same HTML)', () => {
    const replacements: [string, (post: { html: string }) => void, boolean][] = [
      ['assigned', (post) => (post.html = '<p>other</p>'), false],
      ['assigned the same text', (post) => (post.html = `<p>x</p> `.slice(0, -1)), true],
      [
        'defined',
        (post) => Object.defineProperty(post, 'html', { value: '<p>other</p>', enumerable: true }),
        false,
      ],
      ['deleted', (post) => delete (post as { html?: string }).html, false],
      [
        'another getter',
        (post) => Object.defineProperty(post, 'html', { get: () => '<p>other</p>', enumerable: true }),
        false,
      ],
    ];
    for (const [what, replace, same] of replacements) {
      for (const readFirst of [false, true]) {
        const post = withHtmlOf(postFields(), cached('<p>x</p>'));
        const held: HeldHtml = heldHtml(post);
        if (readFirst) void post.html;
        replace(post);
        expect(sameHtml(post, held), `${what}, read first: ${readFirst}`).toBe(same);
      }
    }
  });

  it('a frozen post reads it (the accessor stays), and refuses an assignment as a plain frozen object does', () => {
    const post = Object.freeze(withHtmlOf(postFields(), cached('<p>frozen</p>')));
    expect(post.html).toBe('<p>frozen</p>');
    expect(post.html).toBe('<p>frozen</p>');
    expect(() => {
      (post as { html: string }).html = 'x';
    }).toThrow(TypeError);
  });

  it('a copy made with the descriptors, or an object made from it, reads the same HTML', () => {
    const post = withHtmlOf(postFields(), cached('<p>copied</p>'));
    const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(post)) as typeof post;
    expect(copy.html).toBe('<p>copied</p>');
    expect((Object.create(post) as typeof post).html).toBe('<p>copied</p>');
    expect(post.html).toBe('<p>copied</p>');
  });

  it('withRenderedComments gives comments their renders, in renderSite’s order (after their post’s)', () => {
    const comments = [
      { id: 'c1', html: '' },
      { id: 'c2', html: '' },
    ];
    const results = [cached('<p>p</p>'), { ...FIELDS, html: '<p>fresh</p>' }, cached('<p>c2</p>')];
    expect(withRenderedComments(comments, results, 0)).toBe(comments);
    expect(undecoded(comments[0]!)).toBe(false);
    expect(undecoded(comments[1]!)).toBe(true);
    expect(comments.map((comment) => comment.html)).toEqual(['<p>fresh</p>', '<p>c2</p>']);
  });

  it('addHtmlOf makes the same document as a literal: keys, order, JSON, spread, clone; decoded only when read', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.boolean(), fc.boolean(), (html, isCached, deferred) => {
        const render = isCached ? cached(html) : { ...FIELDS, html };
        const literal = { slug: 'a', title: 'A', html, headings: [], wordCount: 3 };
        const made = { slug: 'a', title: 'A' } as typeof literal;
        addHtmlOf(made, render, deferred);
        made.headings = [];
        made.wordCount = 3;
        expect(undecoded(made)).toBe(isCached && deferred);
        expect(Object.keys(made)).toEqual(Object.keys(literal));
        expect(JSON.stringify(made)).toBe(JSON.stringify(literal));
        expect({ ...made }).toEqual(literal);
        expect(structuredClone(made)).toEqual(literal);
        expect(made.html).toBe(html);
      }),
    );
  });
});
