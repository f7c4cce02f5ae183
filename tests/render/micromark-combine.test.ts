// micromark combines its built-in syntax with a processor's extensions once per list of extensions,
// not once per document (patches/micromark+4.0.3.patch, docs/decisions/micromark-extensions.md).
// These tests fail without the patch (the first) or if sharing the combination changed a parse.
import fc from 'fast-check';
import { parse } from 'micromark';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { createMarkdownRenderer } from '../../src/index';

const NUM_RUNS = Number(process.env.FC_RUNS ?? 200);

/** Pieces of markdown that use definitions, references, footnotes, tables, GFM literals and HTML. */
const piece = fc.constantFrom(
  '[a]: https://example.com/a\n',
  '[a] and [b][a] and ![c][a]\n',
  '[^1]\n\n[^1]: A note.\n',
  '| x | y |\n| - | :-: |\n| 1 | 2 |\n',
  'mail a@example.com or www.example.com or https://example.com/x.\n',
  '~~gone~~ and *em* and **strong** and `code`\n',
  '- [x] done\n- [ ] todo\n',
  '> quote\n> more\n',
  '```js\nconst a = 1;\n```\n',
  '<div>html</div>\n',
  '    indented code\n',
  '# Heading\n',
  '\n',
  'text ',
);
const documents = fc.array(
  fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('')),
  {
    minLength: 1,
    maxLength: 8,
  },
);

describe('micromark combines its syntax once per list of extensions', () => {
  it('gives the same combination for the same list, and combines a list changed in place again', () => {
    const extensions = unified().use(remarkParse).use(remarkGfm).freeze().data('micromarkExtensions') ?? [];
    expect(extensions.length).toBeGreaterThan(0);
    const first = parse({ extensions }).constructs;
    expect(parse({ extensions }).constructs).toBe(first);
    // A copy of the list is another list: combined anew, to equal constructs.
    const copy = [...extensions];
    expect(parse({ extensions: copy }).constructs).not.toBe(first);
    expect(parse({ extensions: copy }).constructs).toEqual(first);
    // The same list with an extension added in place is combined again, with the new construct.
    const marker = { name: 'test-marker', tokenize: () => () => undefined };
    copy.push({ flow: { 64: marker } });
    const grown = parse({ extensions: copy }).constructs;
    expect(grown).not.toBe(first);
    expect(grown.flow[64]).toContain(marker);
    // A parse without extensions is a fresh combination of the built-in syntax alone.
    expect(parse().constructs.flow[64]).toBeUndefined();
  });

  it('parses a run of documents in one processor exactly as fresh processors do', () => {
    const shared = unified().use(remarkParse).use(remarkGfm).freeze();
    fc.assert(
      fc.property(documents, (markdowns) => {
        for (const markdown of markdowns) {
          // A new processor has new extension lists: its own combination.
          const fresh = unified().use(remarkParse).use(remarkGfm).freeze();
          expect(shared.parse(markdown)).toEqual(fresh.parse(markdown));
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('renders a run of posts in one renderer exactly as fresh renderers do', async () => {
    const shared = createMarkdownRenderer({ trust: 'post' });
    await fc.assert(
      fc.asyncProperty(documents, async (markdowns) => {
        for (const markdown of markdowns) {
          const fresh = createMarkdownRenderer({ trust: 'post' });
          expect(await shared(markdown)).toEqual(await fresh(markdown));
        }
      }),
      { numRuns: Math.ceil(NUM_RUNS / 4) },
    );
  });
});
