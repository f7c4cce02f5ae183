// A linear `consume` for micromark's EditMap. micromark applies the changes its resolvers make to
// the event list through `EditMap.consume`, which copies the whole list every time: once per setext
// heading, once per line that closes containers (lists and block quotes), so that such documents
// cost n² in their length (a comment of 1,100 lines of nested list markers took seconds). The stock
// method moves every event before the first change out and back in; this one leaves them where they
// are and rebuilds only the list after the first change. The result is the same array, with the same
// contents (tests/render/linear-edit-map.test.ts). Decision: docs/decisions/hostile-input.md.
import { EditMap } from 'micromark-util-edit-map';

/** One change: at `[0]`, remove `[1]` events and insert the events of `[2]`. */
type Change = [at: number, remove: number, add: unknown[]];

/** What `consume` uses of an EditMap (its fields are not in its types). */
interface EditMapFields {
  map: Change[];
  index?: Map<number, Change>;
}

/**
 * Applies the changes of an EditMap to `events` in place, touching only the events from the first
 * change on.
 */
export function consumeLinear(this: EditMapFields, events: unknown[]): void {
  this.map.sort((a, b) => a[0] - b[0]);
  if (this.map.length === 0) return;
  // From the last change to the first: keep what follows each change, then cut the list there.
  const pieces: unknown[][] = [];
  for (let change = this.map.length - 1; change >= 0; change--) {
    const [at, remove, add] = this.map[change]!;
    pieces.push(events.slice(at + remove), add);
    events.length = at;
  }
  // The events before the first change stay; the rest go back on in order.
  for (let piece = pieces.pop(); piece; piece = pieces.pop()) {
    for (const event of piece) events.push(event);
  }
  this.map.length = 0;
  this.index?.clear();
}

let installed = false;

/** Replaces `EditMap.prototype.consume` with {@link consumeLinear}, once per process. */
export function installLinearEditMap(): void {
  if (installed) return;
  installed = true;
  (EditMap.prototype as unknown as { consume: typeof consumeLinear }).consume = consumeLinear;
}
