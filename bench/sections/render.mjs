// renderMarkdown on every post body directly, one after the other, without the loader.
import { postBody } from '../generate.mjs';

/** @type {import('./types').Section} */
export default {
  name: 'render',
  description: 'renderMarkdown of every post body (trust: post), no loader',
  async run({ library, site }) {
    const bodies = Array.from({ length: site.posts }, (_, index) => postBody(index));
    const started = performance.now();
    for (const [index, body] of bodies.entries()) {
      await library.renderMarkdown(body, {
        trust: 'post',
        url: `https://bench.example/posts/post-${index}/`,
      });
    }
    const seconds = (performance.now() - started) / 1000;
    return { items: bodies.length, unit: 'posts', seconds };
  },
};
