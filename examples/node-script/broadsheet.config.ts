import { defineConfig } from 'broadsheet';
import { z } from 'zod';

// The schema extension adds an optional `mood` to every post. `loadSite` gets its types from
// here: `post.data.mood` is `'calm' | 'stormy' | undefined` in src/list-posts.ts.
export default defineConfig({
  site: {
    title: 'Harbour Notes',
    url: 'https://harbour.example/',
    description: 'Short notes from a small harbour.',
    author: { name: 'Ada Keeper' },
  },
  schema: {
    post: (base) => base.extend({ mood: z.enum(['calm', 'stormy']).optional() }),
  },
});
