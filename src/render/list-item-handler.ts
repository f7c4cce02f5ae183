import type { Element } from 'hast';
import type { List, ListItem, Parents } from 'mdast';
import { defaultHandlers, type State } from 'mdast-util-to-hast';

/** Whether each list is loose, worked out once per list. */
const looseness = new WeakMap<List, boolean>();

/**
 * mdast-util-to-hast's `listItem` handler, with whether the list is loose (any item spread, so
 * every item's text is wrapped in `<p>`) worked out once per list. The stock handler works it out
 * again for every item by looking at all the items of the list, so a list of n items cost n² (a
 * post of 25,000 one-line items took seconds). The output is the same: the stock handler is given
 * a stand-in parent that carries the answer.
 */
export function listItemHandler(state: State, node: ListItem, parent: Parents | undefined): Element {
  if (parent?.type !== 'list') return defaultHandlers.listItem(state, node, parent);
  let loose = looseness.get(parent);
  if (loose === undefined) {
    loose = Boolean(parent.spread) || parent.children.some(itemIsLoose);
    looseness.set(parent, loose);
  }
  const standIn: List = { type: 'list', spread: loose, children: [] };
  return defaultHandlers.listItem(state, node, standIn);
}

function itemIsLoose(item: ListItem): boolean {
  return item.spread === null || item.spread === undefined ? item.children.length > 1 : item.spread;
}
