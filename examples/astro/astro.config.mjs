import { defineConfig } from 'astro/config';

// Pages at /posts/<slug>/, the URLs broadsheet gives posts (site.url + posts/<slug>/).
export default defineConfig({
  site: 'https://lighthouse.example/',
  trailingSlash: 'always',
  build: { format: 'directory' },
});
