// The linear EditMap.consume (src/render/linear-edit-map.ts) must give exactly what micromark's own
// gives: the same events, in the same array.
import fc from 'fast-check';
import { EditMap } from 'micromark-util-edit-map';
import { describe, expect, it } from 'vitest';
import { consumeLinear, installLinearEditMap } from '../../src/render/linear-edit-map';
import { renderMarkdown } from '../../src/render/render-markdown';

const NUM_RUNS = Number(process.env.FC_RUNS ?? 250);

/** micromark-util-edit-map 1.0.0's consume, as it is published. */
function consumeStock(
  this: { map: [number, number, unknown[]][]; index: Map<number, unknown> },
  events: unknown[],
) {
  this.map.sort((a, b) => a[0] - b[0]);
  if (this.map.length === 0) return;
  let index = this.map.length;
  const vecs: unknown[][] = [];
  while (index > 0) {
    index -= 1;
    vecs.push(events.slice(this.map[index]![0] + this.map[index]![1]), this.map[index]![2]);
    events.length = this.map[index]![0];
  }
  vecs.push(events.slice());
  events.length = 0;
  let slice = vecs.pop();
  while (slice) {
    for (const element of slice) events.push(element);
    slice = vecs.pop();
  }
  this.map.length = 0;
  this.index.clear();
}

describe('the linear EditMap.consume', () => {
  it('gives the same events as the stock one for any set of changes', () => {
    const changes = fc.array(
      fc.tuple(fc.nat(40), fc.nat(5), fc.array(fc.string({ maxLength: 2 }), { maxLength: 4 })),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(fc.nat(40), changes, (length, list) => {
        const events = Array.from({ length }, (_, index) => `e${index}`);
        const apply = (consume: (this: never, events: unknown[]) => void) => {
          const map = new EditMap();
          for (const [at, remove, add] of list) {
            if (at <= length && at + remove <= length) map.add(at, remove, [...add] as never[]);
          }
          const copy = [...events];
          consume.call(map as never, copy);
          return copy;
        };
        expect(apply(consumeLinear as never)).toEqual(apply(consumeStock as never));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is what micromark uses once a document has been rendered', async () => {
    await renderMarkdown('Title\n=====\n', { trust: 'post' });
    installLinearEditMap();
    expect(EditMap.prototype.consume).toBe(consumeLinear);
  });
});
