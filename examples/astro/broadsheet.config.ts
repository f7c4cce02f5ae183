import { defineConfig } from 'broadsheet';

export default defineConfig({
  site: {
    title: 'The Lighthouse Log',
    url: 'https://lighthouse.example/',
    description: 'A keeper writes down the weather, built with Astro and broadsheet.',
    author: { name: 'Rui Keeper' },
  },
});
