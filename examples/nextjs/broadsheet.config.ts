import { defineConfig } from 'broadsheet';

export default defineConfig({
  site: {
    title: 'Tide Tables',
    url: 'https://tides.example/',
    description: 'Notes on the sea, built with Next.js and broadsheet.',
    author: { name: 'Mo Shore' },
  },
});
