// The listItem handler (src/render/list-item-handler.ts) stands in for mdast-util-to-hast's own only
// to be linear: it must give exactly the same tree.
import fc from 'fast-check';
import type { Root as MdastRoot } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { listItemHandler } from '../../src/render/list-item-handler';

const NUM_RUNS = Number(process.env.FC_RUNS ?? 250);

function both(markdown: string) {
  const parser = unified().use(remarkParse).use(remarkGfm);
  const tree = () => parser.runSync(parser.parse(markdown)) as MdastRoot;
  return {
    ours: unified()
      .use(remarkRehype, { handlers: { listItem: listItemHandler } })
      .runSync(tree()),
    stock: unified().use(remarkRehype).runSync(tree()),
  };
}

describe('the linear listItem handler', () => {
  it('gives the stock tree for tight, loose, nested and task lists', () => {
    for (const markdown of [
      '- a\n- b\n',
      '- a\n\n- b\n',
      '- a\n  - b\n\n    c\n- d\n',
      '1. a\n2. b\n\n   para\n',
      '- [ ] a\n- [x] b\n',
      '* a\n\n      code\n* b\n',
    ]) {
      const { ours, stock } = both(markdown);
      expect(ours, markdown).toEqual(stock);
    }
  });

  it('gives the stock tree for any list-like text', () => {
    const line = fc
      .tuple(
        fc.constantFrom('', '  ', '    '),
        fc.constantFrom('- ', '* ', '1. ', '> ', '- [ ] ', ''),
        fc.constantFrom('a', 'b c', '', '```'),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const { ours, stock } = both(lines.join('\n'));
        expect(ours).toEqual(stock);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
