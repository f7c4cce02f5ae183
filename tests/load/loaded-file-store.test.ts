import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSiteWith } from '../../src/load/load-site';
import { LoadedFileStore } from '../../src/load/loaded-file-store';
import { NOW, temporarySite } from './helpers';

const post = `---\ntitle: A\ndate: 2024-01-01\n---\nBody.\n`;
const titleModule = (title: string) => `export const title = ${JSON.stringify(title)};\n`;

describe('LoadedFileStore', () => {
  it('keeps the loaded config while only content files change, and loads it again after any other change (a module the config imports)', async () => {
    const root = await temporarySite({
      'content/posts/a.md': post,
      'site.config.ts': `import { title } from './title';\nexport default { site: { title, url: 'https://example.com/' } };\n`,
      'title.ts': titleModule('First'),
    });
    const store = new LoadedFileStore();
    const load = async () => {
      const result = await loadSiteWith(
        { root, configFile: 'site.config.ts', now: NOW, cache: false },
        store,
      );
      if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
      return result.site;
    };
    expect((await load()).config.site.title).toBe('First');

    // Written, but the loop reports only a post: the config is not imported again.
    await writeFile(path.join(root, 'title.ts'), titleModule('Second'));
    await writeFile(path.join(root, 'content/posts/a.md'), post.replace('Body.', 'Edited.'));
    store.changed(['content/posts/a.md']);
    const edited = await load();
    expect(edited.config.site.title).toBe('First');
    expect(edited.posts[0]!.html).toContain('Edited.');

    // The imported module reported: the config is loaded again.
    store.changed(['title.ts']);
    expect((await load()).config.site.title).toBe('Second');
  });
});
