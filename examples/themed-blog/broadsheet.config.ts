import { defineConfig, html, trustedHtml } from 'broadsheet';

// The theme restyles the built-in pages without forking them: a stylesheet that replaces the
// default one, a web font link in every page's head, and two page templates. A template gets the
// same data the default template gets and returns `html` (every interpolated string is escaped);
// `byDefault()` is the default markup, to wrap or reuse.
export default defineConfig({
  site: {
    title: 'Night Ferry',
    url: 'https://ferry.example/',
    description: 'Crossings after dark, written down.',
    author: { name: 'Ines Pilot' },
  },
  theme: {
    stylesheet: { file: 'theme/ferry.css', mode: 'replace' },
    head: '<meta name="theme-color" content="#10202e">',
    templates: {
      // A post: a banner with the reading time, then the default article and comments.
      post: ({ post }, byDefault) => html`<p class="ferry-banner">${post.readingTime}-minute crossing</p>
${byDefault()}`,
      // Pages of content/pages/: a card of the title and the body, no default markup at all.
      page: ({ page }) => html`<section class="ferry-card">
<h1>${page.title}</h1>
${trustedHtml(page.html)}
</section>`,
    },
  },
});
