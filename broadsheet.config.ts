// A type-only import: it is erased when the config loads, so loading it compiles nothing else.
import type { BroadsheetConfig } from './src/index';

const config: BroadsheetConfig = {
  site: {
    title: 'broadsheet',
    url: 'https://broadsheet.example/',
    description: 'The first post this project started from, published by broadsheet itself.',
    language: 'en',
    timezone: 'UTC',
    author: { name: 'broadsheet' },
  },
};

export default config;
