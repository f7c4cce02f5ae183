import { defineConfig } from './src/index';

export default defineConfig({
  site: {
    title: 'broadsheet',
    url: 'https://broadsheet.example/',
    description: 'The first post this project started from, published by broadsheet itself.',
    language: 'en',
    timezone: 'UTC',
    author: { name: 'broadsheet' },
  },
});
